"""The page frame and its stylesheet: plain server-rendered HTML, nothing loaded from elsewhere
(system fonts, inline CSS, no scripts), readable on a phone and in print."""

from __future__ import annotations

from collections.abc import Sequence

from service.web.text import esc

STYLE = """
:root{--ink:#1d2430;--muted:#5b6472;--rule:#e2e5e9;--accent:#1f5fa8;--paper:#fbfaf7;--hl:#ffe27a;--hl2:#ffc94a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);
  font:17px/1.6 Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"Times New Roman",serif}
.ui,header.site,nav.crumbs,h1,h2,h3,table,.lede,.meta,.facts,form,footer,.badge,.pager,.note{
  font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-decoration-thickness:1px;text-underline-offset:2px}
a:hover{text-decoration-thickness:2px}
header.site{background:var(--ink);color:#fff}
header.site .in{max-width:74rem;margin:0 auto;padding:.7rem 1.25rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header.site a{color:#fff;text-decoration:none}
header.site .brand{font-weight:700;font-size:1.15rem;letter-spacing:.01em}
header.site .brand span{color:#9fc3ee;font-weight:400}
header.site form{margin-left:auto}
main{max-width:74rem;margin:0 auto;padding:1.2rem 1.25rem 4rem}
nav.crumbs{font-size:.85rem;color:var(--muted);margin:.2rem 0 .6rem}
nav.crumbs a{color:var(--muted)}
h1{font-size:2rem;line-height:1.2;margin:.2rem 0 .4rem;letter-spacing:-.01em}
h2{font-size:1.25rem;margin:2.2rem 0 .7rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
p{margin:.5rem 0 .9rem;max-width:46rem}
.lede{font-size:1.2rem;line-height:1.45;margin:.4rem 0 1rem;max-width:52rem}
.lede strong{background:linear-gradient(transparent 60%,var(--hl) 60%)}
.meta,.note{color:var(--muted);font-size:.9rem}
.facts{display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;margin:.6rem 0 1rem;padding:0;list-style:none;font-size:.92rem;color:var(--muted)}
.facts b{color:var(--ink)}
input[type=search]{font:inherit;padding:.35rem .6rem;border:1px solid #b8bec7;border-radius:4px;min-width:15rem;background:#fff;color:var(--ink)}
header.site input[type=search]{border-color:#4a5566;background:#2a3342;color:#fff}
header.site input[type=search]::placeholder{color:#aab3c0}
button{font:inherit;padding:.35rem .8rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.92rem;line-height:1.45;background:#fff}
th,td{text-align:left;vertical-align:top;padding:.5rem .6rem;border-bottom:1px solid var(--rule)}
th{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:2px solid #c9ced5;background:var(--paper)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.fig{font-weight:700;white-space:nowrap}
td.day{white-space:nowrap}
tr:target td{background:#fff7d6}
.quote{font-family:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,serif;font-size:1rem;color:#2b313a}
.quote::before{content:"\\201C"}.quote::after{content:"\\201D"}
.chain{color:var(--muted)}
.chain .arrow{color:#9aa1ab;padding:0 .15rem}
.dot{display:inline-block;width:.75em;height:.75em;border-radius:50%;margin-right:.35em;vertical-align:-.05em}
.badge{display:inline-block;font-size:.72rem;padding:.05rem .4rem;border-radius:3px;background:#eef0f3;color:var(--muted);
  text-transform:uppercase;letter-spacing:.04em;vertical-align:.1em}
.badge.unreviewed{background:#fff1d6;color:#8a5a00}
.chart{margin:1rem 0 .4rem;background:#fff;border:1px solid var(--rule);border-radius:6px;padding:.4rem;overflow-x:auto}
.chart svg{display:block;width:100%;height:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.9rem;margin:1rem 0;padding:0;list-style:none}
.cards li{background:#fff;border:1px solid var(--rule);border-radius:6px;padding:.8rem 1rem}
.cards a.title{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-weight:700;font-size:1.05rem;text-decoration:none}
.cards .range{font-size:1.05rem;margin:.25rem 0}
.cards .meta{margin:0}
ul.events{list-style:none;padding:0;margin:1rem 0}
ul.events>li{background:#fff;border:1px solid var(--rule);border-radius:6px;padding:.8rem 1rem;margin:0 0 .9rem}
ul.events a.title{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-weight:700;font-size:1.15rem;text-decoration:none}
ul.events p.meta{margin:.15rem 0}
ul.lines{margin:.5rem 0 0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
ul.plain.lines li{padding:.3rem 0;font-size:.95rem}
ul.plain.lines li:last-child{border-bottom:0}
ul.plain.toc{display:flex;flex-wrap:wrap;gap:.2rem 1.4rem;margin:.4rem 0 1rem}
ul.plain.toc li{padding:.1rem 0;border-bottom:0}
section.panel{margin:2.4rem 0 0}
section.panel>h2{margin-top:0}
section.panel h2 a{text-decoration:none}
h2.event{font-size:1.35rem}
ul.plain{list-style:none;padding:0;margin:.4rem 0}
ul.plain li{padding:.45rem 0;border-bottom:1px solid var(--rule)}
.scopes li{padding:.3rem 0}
article.text{background:#fff;border:1px solid var(--rule);border-radius:6px;padding:1.4rem 1.8rem;white-space:pre-wrap;
  font-size:1.05rem;line-height:1.7;max-width:50rem;overflow-wrap:break-word}
mark{background:rgba(255,226,122,.28);color:inherit;padding:.05em 0;border-bottom:1px solid #e6c65a;scroll-margin-top:40vh}
mark.fig{background:rgba(255,214,90,.7);border-bottom:2px solid #d9a800}
mark mark{background:rgba(255,201,74,.35)}
mark.current,mark:target{background:#ffc94a;outline:2px solid #c98a00;border-radius:2px}
mark a{color:inherit;text-decoration:none}
.selected{background:#fff;border-left:4px solid #e0b400;padding:.7rem 1rem;margin:1rem 0;max-width:50rem}
.pager{margin:1rem 0;font-size:.95rem}
footer{max-width:74rem;margin:0 auto;padding:1.5rem 1.25rem 3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--rule)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:#eef0f3;padding:.05rem .3rem;border-radius:3px}
.wrap{overflow-x:auto}
@media (max-width:40rem){body{font-size:16px}h1{font-size:1.55rem}header.site form{margin-left:0}input[type=search]{min-width:0;width:12rem}
  article.text{padding:1rem}main{padding-left:.8rem;padding-right:.8rem}
  .cards{grid-template-columns:1fr}th,td{padding:.4rem .45rem}
  .chart svg{width:640px;max-width:none}}
@media print{header.site form,footer{display:none}body{background:#fff}}
"""


def page(title: str, body: str, *, crumbs: Sequence[tuple[str, str | None]] = (), search: str = "") -> str:
    """A whole HTML page; ``body`` is already escaped HTML, ``crumbs`` are (text, href) pairs."""
    trail = ""
    if crumbs:
        parts = [f'<a href="{esc(href)}">{esc(text)}</a>' if href else esc(text) for text, href in crumbs]
        trail = f'<nav class="crumbs" aria-label="Breadcrumb">{" › ".join(parts)}</nav>'
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)} — factdesk</title><style>{STYLE}</style></head><body>"
        '<header class="site"><div class="in">'
        '<a class="brand" href="/">factdesk <span>who said which number</span></a>'
        '<form method="get" action="/actor" role="search">'
        f'<input type="search" name="q" value="{esc(search)}" placeholder="Find a source: Tokayev, police…" aria-label="Find a source by name">'
        "</form></div></header>"
        f"<main>{trail}{body}</main>"
        "<footer>Every figure is a claim by someone, quoted verbatim from an archived article. "
        'Machine-readable: <a href="/schema">the API</a> (<a href="/schema/openapi.json">OpenAPI</a>).</footer>'
        "</body></html>\n"
    )


def error_page(status: int, title: str, detail: str, suggestions: Sequence[tuple[str, str]] = ()) -> str:
    """A small page for a 4xx: what was wrong and, when known, the nearest names as links."""
    hint = ""
    if suggestions:
        links = ", ".join(f'<a href="{esc(href)}">{esc(text)}</a>' for text, href in suggestions)
        hint = f"<p>Did you mean {links}?</p>"
    body = (
        f"<h1>{esc(title)}</h1><p class=\"meta\">HTTP {status}</p><p>{esc(detail)}</p>{hint}"
        '<p><a href="/">Back to all events</a></p>'
    )
    return page(title, body)
