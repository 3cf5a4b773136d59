"""Hard-coded *linguistic* knowledge of English news prose (never event words: those come from
the metric vocabulary in the database)."""

from __future__ import annotations

# --------------------------------------------------------------------------- people and groups

# nouns for people who can be counted; a metric synonym ending in one of these is "weak" (it
# names who is counted more than what happened to them: "soldiers", "protesters", "personnel")
PEOPLE_NOUNS = {
    "people", "persons", "person", "individuals", "members", "participants", "protesters",
    "protestors", "demonstrators", "rioters", "civilians", "residents", "citizens", "children",
    "kids", "women", "men", "soldiers", "troops", "officers", "police", "policemen", "policewomen",
    "personnel", "guards", "servicemen", "servicewomen", "workers", "employees", "students",
    "journalists", "reporters", "patients", "migrants", "refugees", "foreigners", "tourists",
    "passengers", "victims", "fighters", "militants", "rebels", "insurgents", "criminals",
    "gunmen", "others", "peacekeepers", "paratroopers", "marchers", "strikers", "miners",
    "nurses", "doctors", "teachers", "farmers", "voters", "supporters", "activists", "detainees",
    "prisoners", "inmates", "hostages", "survivors", "bodies", "adults", "infants", "babies",
    "pilgrims", "villagers", "locals", "staff", "crew", "sailors", "airmen", "marines",
    "firefighters", "rescuers", "volunteers", "family", "families", "households", "forces",
    "military", "army", "contingent", "uniforms", "mob", "crowd", "crowds", "force", "guardsmen",
    "agents", "colleagues", "opponents", "dissidents", "extremists", "terrorists", "bandits",
    "looters", "youths", "teenagers", "pupils", "evacuees", "residents", "inhabitants", "nationals",
    "americans", "europeans", "officials", "employees", "drivers", "truckers",
}

# people nouns that already say what happened to them: a metric synonym ending in one of
# these is not weak ("detainees that reached almost 5,000")
EVENT_PEOPLE_NOUNS = {
    "detainees", "victims", "bodies", "casualties", "evacuees", "strikers", "prisoners",
    "hostages", "survivors", "patients", "inmates", "fatalities", "refugees", "dead", "wounded",
    "injured", "missing", "displaced", "homeless", "arrested", "killed",
}

# the group vocabulary of the curated seeds, plus generic nouns for other events
GROUP_PHRASES: list[tuple[tuple[str, ...], str]] = [
    (("police", "and", "national", "guard"), "police and national guard"),
    (("members", "of", "the", "security", "forces"), "security forces"),
    (("security", "forces"), "security forces"),
    (("security", "personnel"), "security forces"),
    (("security", "guards"), "security forces"),
    (("security", "officers"), "security forces"),
    (("security", "officials"), "security forces"),
    (("law", "enforcement", "officers"), "security forces"),
    (("law", "enforcement", "officials"), "security forces"),
    (("law", "enforcement"), "security forces"),
    (("armed", "criminals"), "armed criminals"),
    (("participants", "in", "protests"), "protesters"),
    (("participants", "in", "the", "protests"), "protesters"),
    (("injured", "people"), "injured people"),
    (("wounded", "people"), "injured people"),
    (("injured", "persons"), "injured people"),
    (("military", "personnel"), "military"),
    (("police", "officers"), "police"),
    (("peacekeeping", "forces"), "peacekeepers"),
    (("peacekeeping", "force"), "peacekeepers"),
    (("national", "guard"), "national guard"),
]
GROUP_WORDS = {
    "protesters": "protesters", "protestors": "protesters", "demonstrators": "protesters",
    "rioters": "protesters", "marchers": "protesters", "participants": "protesters",
    "criminals": "armed criminals",
    "rebels": "militants", "insurgents": "militants", "militants": "militants", "gunmen": "militants",
    "fighters": "militants", "terrorists": "militants",
    "police": "police", "policemen": "police", "policewomen": "police", "officers": "police",
    "soldiers": "military", "troops": "military", "servicemen": "military", "military": "military",
    "army": "military", "paratroopers": "military", "marines": "military",
    "peacekeepers": "peacekeepers",
    "civilians": "civilians", "residents": "civilians", "citizens": "civilians",
    "bystanders": "civilians", "villagers": "civilians", "inhabitants": "civilians",
    "people": "people", "persons": "people", "individuals": "people",
    "patients": "injured people",
    "children": "children", "kids": "children", "pupils": "children", "students": "students",
    "women": "women", "journalists": "journalists", "reporters": "journalists",
    "workers": "workers", "employees": "workers", "strikers": "workers", "miners": "workers",
    "staff": "workers", "nurses": "health workers", "doctors": "health workers",
    "migrants": "migrants", "refugees": "refugees", "evacuees": "evacuees",
    "foreigners": "foreigners", "tourists": "tourists", "passengers": "passengers",
    "detainees": "detainees", "prisoners": "prisoners", "inmates": "prisoners",
    "hostages": "hostages", "firefighters": "firefighters", "rescuers": "rescuers",
    "voters": "voters", "families": "families", "households": "households",
}

# --------------------------------------------------------------------------- attribution

# verbs of saying (folded token -> lemma)
_SPEECH = {
    "say": "say says said saying",
    "tell": "tell tells told telling",
    "state": "state states stated stating",
    "report": "report reports reported reporting",
    "announce": "announce announces announced announcing",
    "declare": "declare declares declared declaring",
    "claim": "claim claims claimed claiming",
    "add": "add adds added adding",
    "note": "note notes noted noting",
    "stress": "stress stresses stressed stressing",
    "underline": "underline underlines underlined underlining underscore underscores underscored",
    "emphasize": "emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised emphasising",
    "indicate": "indicate indicates indicated indicating",
    "explain": "explain explains explained explaining",
    "remark": "remark remarks remarked",
    "warn": "warn warns warned warning",
    "confirm": "confirm confirms confirmed confirming",
    "deny": "deny denies denied denying",
    "insist": "insist insists insisted insisting",
    "assure": "assure assures assured assuring",
    "accuse": "accuse accuses accused accusing",
    "blame": "blame blames blamed blaming",
    "urge": "urge urges urged urging",
    "call": "call calls called calling",
    "appeal": "appeal appeals appealed appealing",
    "demand": "demand demands demanded demanding",
    "ask": "ask asks asked asking",
    "request": "request requests requested requesting",
    "recommend": "recommend recommends recommended recommending",
    "advise": "advise advises advised advising",
    "express": "express expresses expressed expressing",
    "estimate": "estimate estimates estimated",
    "write": "write writes wrote writing",
    "inform": "inform informs informed informing",
    "notify": "notify notifies notified notifying",
    "tweet": "tweet tweets tweeted tweeting posted",
    "describe": "describe describes described describing",
    "condemn": "condemn condemns condemned condemning",
    "criticize": "criticize criticizes criticized criticise criticises criticised",
    "welcome": "welcomed welcomes",
    "promise": "promise promises promised pledged pledge pledges vow vows vowed",
    "threaten": "threaten threatens threatened",
    "argue": "argue argues argued arguing",
    "suggest": "suggest suggests suggested",
    "acknowledge": "acknowledge acknowledges acknowledged admit admits admitted",
    "allege": "allege alleges alleged",
    "reveal": "reveal reveals revealed disclose discloses disclosed",
    "reiterate": "reiterate reiterates reiterated",
    "respond": "respond responds responded reply replies replied",
    "comment": "commented comments",
    "mention": "mention mentions mentioned",
    "predict": "predict predicts predicted forecast forecasts",
    "speak": "speak speaks spoke",
    "address": "addressed addresses",
    "recall": "recalled recalls",
    "reject": "reject rejects rejected",
    "react": "reacted reacts",
    "believe": "believes believed",
    "hope": "hopes hoped",
    "fear": "fears feared",
}
SPEECH_VERBS: dict[str, str] = {form: lemma for lemma, forms in _SPEECH.items() for form in forms.split()}
# verbs reporters use for what they witnessed themselves
PERCEPTION_VERBS = {"saw", "heard", "witnessed", "sees", "hears", "see", "hear", "observed"}
# nouns that are also verbs in the list: a determiner before them means a noun ("a request")
NOUN_AMBIGUOUS = {
    "report", "reports", "request", "requests", "call", "calls", "claim", "claims", "warning",
    "appeal", "appeals", "demand", "demands", "estimate", "estimates", "note", "notes", "state",
    "states", "comment", "comments", "reply", "fear", "fears", "hope", "hopes", "address",
    "addresses", "statement", "tweet", "tweets", "forecast", "speak", "promise", "promises",
    "pledge", "pledges", "vow", "vows", "add", "ask", "deny", "say",
}
DETERMINERS = {
    "a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "no", "any", "each", "every", "some", "another", "such", "whose",
}
RELAY_VERBS = {"quoted", "quoting", "quotes", "quote", "cited", "citing", "cites", "cite"}

# tokens allowed between a subject and its verb
SUBJECT_FILLERS = {
    "also", "has", "have", "had", "previously", "already", "now", "then", "later", "again",
    "further", "repeatedly", "reportedly", "officially", "publicly", "earlier", "recently",
    "separately", "meanwhile", "is", "was", "were", "are", "been", "be", "will", "would", "could",
    "can", "may", "might", "should", "must", "just", "finally", "first", "once", "never", "still",
    "duly", "quickly", "clearly", "strongly", "firmly", "openly", "formally", "initially",
    "subsequently", "not", "did", "does", "do", "today", "yesterday", "tonight", "late", "early",
    "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
    "evening", "night", "afternoon", "this", "week", "last", "in", "a", "statement", "separate",
    "also", "too", "herself", "himself", "itself", "themselves", "personally", "directly",
    "immediately", "explicitly", "specifically", "however", "had", "both", "all", "jointly",
    "only", "even", "very", "so", "far", "thus", "up", "to", "date", "it", "out", "over",
    "weekend", "ever", "since", "being", "an", "interview", "with", "press", "conference",
    "briefing", "his", "her", "their", "its", "daily", "televised", "speech", "message",
    "hours", "later", "moments", "separately", "simultaneously", "likewise", "similarly",
}

PREPOSITIONS = {
    "of", "to", "with", "from", "by", "for", "in", "on", "at", "about", "against", "between",
    "among", "than", "into", "onto", "toward", "towards", "over", "under", "after", "before",
    "during", "without", "upon", "across", "through", "via", "amid", "despite", "including",
    "like", "behind", "beside", "near", "around", "within", "per",
}

# role words: a mention carrying one of these is a person ("the Chinese Foreign Ministry spokesman")
PERSON_ROLE_WORDS = {
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "mayor", "chief",
    "secretary", "director", "governor", "official", "commander", "leader", "ambassador",
    "envoy", "representative", "chairman", "chairwoman", "premier", "chancellor", "king", "queen",
    "prince", "general", "colonel", "captain", "head", "prosecutor", "judge", "senator",
    "congressman", "congresswoman", "lawmaker", "deputy", "sheriff", "superintendent",
    "commissioner", "reporter", "correspondent", "journalist", "analyst", "expert", "doctor",
    "witness", "eyewitness", "resident", "protester", "activist", "organiser", "organizer",
    "officer", "akim", "adviser", "advisor", "aide", "pope", "emir", "sultan", "coordinator",
    "chair", "boss", "ceo", "founder", "manager",
}
# titles (folded token sequences) that precede names or stand for a person ("the president")
TITLES: list[tuple[str, ...]] = sorted(
    {
        tuple(t.split())
        for t in [
            "president", "vice president", "vice-president", "prime minister", "deputy prime minister",
            "foreign minister", "deputy foreign minister", "interior minister", "defence minister",
            "defense minister", "health minister", "deputy health minister", "finance minister",
            "minister", "deputy minister", "secretary of state", "head of state", "head of government",
            "spokesman", "spokeswoman", "spokesperson", "press secretary", "mayor", "deputy mayor",
            "governor", "chancellor", "king", "queen", "prince", "pope", "chairman", "chairwoman",
            "chair", "secretary-general", "secretary general", "secretary", "director",
            "director-general", "director general", "chief", "police chief", "army chief",
            "commander", "general", "ambassador", "envoy", "special envoy", "representative",
            "high representative", "high commissioner", "commissioner", "leader", "premier",
            "senator", "prosecutor", "attorney general", "akim", "sheriff", "superintendent",
            "emir", "sultan", "colonel", "captain", "lieutenant", "major", "sergeant",
            "foreign affairs representative", "human rights commissioner", "ceo", "head", "ombudsman",
        ]
    },
    key=len,
    reverse=True,
)
# "head of state" and "president" are the same office in news prose
TITLE_CORE_SYNONYMS = {("head", "of", "state"): ("president",), ("premier",): ("prime", "minister")}

PRONOUNS_PERSON = {"he", "she"}
PRONOUNS_OTHER = {"they", "it"}

# definite descriptions that refer back to an actor already named ("the ministry said")
NOMINAL_HEADS = {
    "ministry": "ministry", "department": "department", "authority": "org", "organization": "org", "organisation": "org",
    "alliance": "org", "bloc": "org", "agency": "media", "broadcaster": "media", "channel": "media",
    "newspaper": "media", "daily": "media", "outlet": "media", "website": "media", "portal": "media",
    "television": "media", "tv": "media", "station": "media", "reporters": "media",
    "correspondents": "media", "journalists": "media", "government": "government",
    "cabinet": "government", "executive": "government", "administration": "government",
    "authorities": "authorities", "police": "police", "army": "army", "military": "army",
    "presidency": "government", "office": "office", "service": "office", "union": "org",
    "company": "org", "committee": "org", "council": "org", "court": "org", "commission": "org",
    "party": "org", "group": "org", "coalition": "org", "federation": "org", "association": "org",
    "institute": "org", "foundation": "org", "embassy": "government", "kremlin": "government",
    "force": "org", "agencies": "org", "prosecutors": "org", "board": "org", "directorate": "org", "command": "org",
}
MEDIA_WORDS = {
    "agency", "broadcaster", "channel", "newspaper", "daily", "outlet", "website", "portal",
    "television", "tv", "station", "radio", "reporter", "reporters", "correspondent",
    "correspondents", "journalist", "journalists", "media", "press", "news", "magazine",
    "tabloid", "wire", "broadcast",
}
# sources that are not named: base confidence like an unnamed group
UNNAMED_SOURCES = {
    "witnesses", "witness", "eyewitnesses", "eyewitness", "residents", "resident", "sources",
    "source", "observers", "analysts", "experts", "activists", "protesters", "demonstrators",
    "locals", "survivors", "relatives", "families", "bloggers", "users", "rumours",
    "rumors", "reports", "media", "opposition", "insiders", "diplomats", "onlookers", "bystanders",
    "participants", "organisers", "organizers", "students", "workers", "doctors", "medics",
    "nurses", "volunteers", "forecasters", "meteorologists", "scientists", "researchers",
    "monitors", "campaigners", "residents",
}
# lowercase source nouns that may stand as a claimant ("officials said", "witnesses told AFP")
GENERIC_SOURCES = UNNAMED_SOURCES | {
    "officials", "authorities", "police", "rescuers", "ministry", "army", "military",
    "government", "spokesman", "spokeswoman", "spokesperson", "prosecutors", "investigators",
    "firefighters", "paramedics", "hospital", "hospitals", "officers", "official", "leaders",
}
# describing a person as one of these makes them an eyewitness source
EYEWITNESS_WORDS = {
    "protester", "protestor", "demonstrator", "resident", "witness", "eyewitness", "survivor",
    "local", "bystander", "student", "worker", "villager", "passer-by", "shopkeeper", "driver",
    "mother", "father", "woman", "man", "pensioner", "teacher", "farmer", "nurse", "activist",
}
# "according to official figures" and the like: institutional sources without a name
INSTITUTIONAL = {
    ("official", "figures"): "authorities", ("official", "data"): "authorities",
    ("official", "statistics"): "authorities", ("official", "sources"): "authorities",
    ("officials",): "authorities", ("the", "authorities"): "authorities",
    ("authorities",): "authorities", ("government", "officials"): "authorities",
    ("state", "officials"): "authorities", ("the", "government"): "government",
    ("the", "cabinet"): "government", ("the", "police"): "police", ("police",): "police",
}

# capitalised words that start sentences and are not names
CAPITAL_STOP = {
    "the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "in", "on", "at", "but", "and", "or", "however", "meanwhile", "according", "after", "before",
    "earlier", "later", "also", "when", "while", "as", "if", "his", "her", "their", "its", "our",
    "there", "here", "yesterday", "today", "tomorrow", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "despite",
    "during", "since", "until", "by", "for", "from", "with", "without", "so", "then", "thus",
    "still", "now", "finally", "first", "last", "next", "some", "many", "most", "all", "both",
    "several", "other", "others", "such", "what", "which", "who", "why", "how", "where", "one",
    "two", "three", "more", "less", "no", "not", "just", "only", "even", "instead", "because",
    "although", "though", "whether", "once", "again", "already", "further", "moreover",
    "furthermore", "additionally", "nevertheless", "nonetheless", "indeed", "officials",
    "police", "witnesses", "residents", "protesters", "photo", "video", "source", "image",
    "enlarge", "related", "read", "watch", "click", "share", "leave", "post", "news",
    "another", "every", "each", "nearly", "almost", "about", "around", "roughly", "none",
}

# phrases that weaken a figure or statement (name, regex)
HEDGES: list[tuple[str, str]] = [
    ("reportedly", r"\breportedly\b"),
    ("unclear", r"\bit\s+(?:is|was|remains|remained)\s+(?:still\s+)?(?:unclear|not\s+clear|unknown|not\s+known|uncertain)\b"),
    ("apparently", r"\bapparently\b"),
    ("allegedly", r"\ballegedly\b|\bpurportedly\b|\bsupposedly\b"),
    ("media_reports", r"\baccording\s+to\s+(?:unconfirmed\s+|local\s+|some\s+|several\s+|other\s+|press\s+|news\s+|media\s+)*(?:media\s+)?reports\b"),
    ("have_been_reported", r"\b(?:have|has|had)\s+(?:also\s+)?been\s+reported\b|\bwere\s+reported\s+to\b|\bis\s+said\s+to\b|\bare\s+said\s+to\b|\bwas\s+said\s+to\b|\bwere\s+said\s+to\b"),
    ("unverified", r"\b(?:could|can)\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verified|confirmed)\b|\bcannot\s+(?:be\s+)?(?:independently\s+)?(?:verified|confirmed)\b|\bunconfirmed\b|\bunverified\b"),
    ("rumoured", r"\brumou?red\b|\brumou?rs\b"),
]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}

# world countries (short English names): tells a country from a city when choosing a location
COUNTRIES = {
    "afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia",
    "austria", "azerbaijan", "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium",
    "belize", "benin", "bhutan", "bolivia", "bosnia", "botswana", "brazil", "brunei", "bulgaria",
    "burkina faso", "burundi", "cambodia", "cameroon", "canada", "chad", "chile", "china",
    "colombia", "comoros", "congo", "costa rica", "croatia", "cuba", "cyprus", "czech republic",
    "czechia", "denmark", "djibouti", "dominica", "dominican republic", "ecuador", "egypt",
    "el salvador", "eritrea", "estonia", "eswatini", "ethiopia", "fiji", "finland", "france",
    "gabon", "gambia", "georgia", "germany", "ghana", "greece", "grenada", "guatemala", "guinea",
    "guyana", "haiti", "honduras", "hungary", "iceland", "india", "indonesia", "iran", "iraq",
    "ireland", "israel", "italy", "ivory coast", "jamaica", "japan", "jordan", "kazakhstan",
    "kenya", "kiribati", "kosovo", "kuwait", "kyrgyzstan", "laos", "latvia", "lebanon", "lesotho",
    "liberia", "libya", "liechtenstein", "lithuania", "luxembourg", "madagascar", "malawi",
    "malaysia", "maldives", "mali", "malta", "mauritania", "mauritius", "mexico", "micronesia",
    "moldova", "monaco", "mongolia", "montenegro", "morocco", "mozambique", "myanmar", "burma",
    "namibia", "nauru", "nepal", "netherlands", "new zealand", "nicaragua", "niger", "nigeria",
    "north korea", "north macedonia", "norway", "oman", "pakistan", "palau", "palestine", "panama",
    "papua new guinea", "paraguay", "peru", "philippines", "poland", "portugal", "qatar",
    "romania", "russia", "rwanda", "samoa", "san marino", "saudi arabia", "senegal", "serbia",
    "seychelles", "sierra leone", "singapore", "slovakia", "slovenia", "somalia", "south africa",
    "south korea", "south sudan", "spain", "sri lanka", "sudan", "suriname", "sweden",
    "switzerland", "syria", "taiwan", "tajikistan", "tanzania", "thailand", "timor-leste", "togo",
    "tonga", "trinidad", "tunisia", "turkey", "turkiye", "turkmenistan", "tuvalu", "uganda",
    "ukraine", "united arab emirates", "uae", "united kingdom", "uk", "britain", "england",
    "scotland", "wales", "united states", "usa", "us", "u.s", "uruguay", "uzbekistan", "vanuatu",
    "venezuela", "vietnam", "yemen", "zambia", "zimbabwe", "gaza", "west bank",
}

# demonyms -> country (a key of COUNTRIES): tells which country a story is about ("Georgian
# police", "the French Interior Ministry") and qualifies a bare institution name with it
DEMONYMS = {
    "afghan": "afghanistan", "albanian": "albania", "algerian": "algeria", "angolan": "angola",
    "argentine": "argentina", "argentinian": "argentina", "armenian": "armenia",
    "australian": "australia", "austrian": "austria", "azerbaijani": "azerbaijan",
    "bahraini": "bahrain", "bangladeshi": "bangladesh", "belarusian": "belarus",
    "belgian": "belgium", "beninese": "benin", "bolivian": "bolivia", "bosnian": "bosnia",
    "brazilian": "brazil", "british": "united kingdom", "bulgarian": "bulgaria",
    "burkinabe": "burkina faso", "burundian": "burundi", "cambodian": "cambodia",
    "cameroonian": "cameroon", "canadian": "canada", "chadian": "chad", "chilean": "chile",
    "chinese": "china", "colombian": "colombia", "congolese": "congo", "croatian": "croatia",
    "cuban": "cuba", "cypriot": "cyprus", "czech": "czech republic", "danish": "denmark",
    "dominican": "dominican republic", "dutch": "netherlands", "ecuadorian": "ecuador",
    "egyptian": "egypt", "emirati": "united arab emirates", "eritrean": "eritrea",
    "estonian": "estonia", "ethiopian": "ethiopia", "fijian": "fiji", "finnish": "finland",
    "french": "france", "gabonese": "gabon", "gambian": "gambia", "georgian": "georgia",
    "german": "germany", "ghanaian": "ghana", "greek": "greece", "guatemalan": "guatemala",
    "guinean": "guinea", "haitian": "haiti", "honduran": "honduras", "hungarian": "hungary",
    "icelandic": "iceland", "indian": "india", "indonesian": "indonesia", "iranian": "iran",
    "iraqi": "iraq", "irish": "ireland", "israeli": "israel", "italian": "italy",
    "ivorian": "ivory coast", "jamaican": "jamaica", "japanese": "japan", "jordanian": "jordan",
    "kazakh": "kazakhstan", "kazakhstani": "kazakhstan", "kenyan": "kenya", "kosovar": "kosovo",
    "kuwaiti": "kuwait", "kyrgyz": "kyrgyzstan", "lao": "laos", "latvian": "latvia",
    "lebanese": "lebanon", "liberian": "liberia", "libyan": "libya", "lithuanian": "lithuania",
    "malagasy": "madagascar", "malawian": "malawi", "malaysian": "malaysia", "malian": "mali",
    "maltese": "malta", "mauritanian": "mauritania", "mexican": "mexico", "moldovan": "moldova",
    "mongolian": "mongolia", "montenegrin": "montenegro", "moroccan": "morocco",
    "mozambican": "mozambique", "burmese": "myanmar", "namibian": "namibia", "nepali": "nepal",
    "nepalese": "nepal", "nicaraguan": "nicaragua", "nigerien": "niger", "nigerian": "nigeria",
    "norwegian": "norway", "omani": "oman", "pakistani": "pakistan", "palestinian": "palestine",
    "panamanian": "panama", "paraguayan": "paraguay", "peruvian": "peru", "filipino": "philippines",
    "philippine": "philippines", "polish": "poland", "portuguese": "portugal", "qatari": "qatar",
    "romanian": "romania", "russian": "russia", "rwandan": "rwanda", "saudi": "saudi arabia",
    "senegalese": "senegal", "serbian": "serbia", "singaporean": "singapore", "slovak": "slovakia",
    "slovenian": "slovenia", "somali": "somalia", "spanish": "spain", "sudanese": "sudan",
    "swedish": "sweden", "swiss": "switzerland", "syrian": "syria", "taiwanese": "taiwan",
    "tajik": "tajikistan", "tanzanian": "tanzania", "thai": "thailand", "togolese": "togo",
    "tunisian": "tunisia", "turkish": "turkey", "turkmen": "turkmenistan", "ugandan": "uganda",
    "ukrainian": "ukraine", "uruguayan": "uruguay", "uzbek": "uzbekistan",
    "venezuelan": "venezuela", "vietnamese": "vietnam", "yemeni": "yemen", "zambian": "zambia",
    "zimbabwean": "zimbabwe", "american": "united states", "south african": "south africa",
    "north korean": "north korea", "south korean": "south korea", "new zealand": "new zealand", "sri lankan": "sri lanka",
}
# a country's name as a qualifier is its short English name ("Georgia", "United States")
COUNTRY_ALIASES = {"us": "united states", "u.s": "united states", "usa": "united states", "uk": "united kingdom", "britain": "united kingdom", "burma": "myanmar", "czechia": "czech republic", "turkiye": "turkey"}

# words of an institution name that names no country ("Interior Ministry", "the police",
# "Ministry of Internal Affairs", "state television"): such a name stands for a country's body
# only in a story about that country. Not "foreign": a bare "the Foreign Office" is the
# outlet's own government speaking about the story's country, never the story country's.
GENERIC_INSTITUTION_WORDS = {
    "the", "of", "and", "for", "'", "s", "interior", "internal", "affairs", "ministry", "police",
    "government", "army", "military", "health", "defence", "defense", "office",
    "federal", "state", "local", "authorities", "prosecutor", "prosecutor's",
    "general", "general's", "public", "attorney", "executive", "crisis", "cabinet", "emergency",
    "emergencies", "situations", "national", "guard", "television", "tv", "city", "civil",
    "protection", "security", "service", "committee", "investigative", "presidency", "parliament",
    "navy", "air", "force", "forces", "armed", "border", "coast", "fire", "rescue", "agency",
    "ministry's", "police's", "government's", "army's", "council", "court", "supreme",
    "constitutional", "electoral", "commission", "central", "election", "justice", "education",
    "finance", "economy", "transport", "energy", "environment", "agriculture", "labour", "labor",
    "social", "welfare", "disaster", "management", "meteorological", "weather", "statistics",
    "bureau", "regional", "provincial", "municipal", "authority", "officials",
}
