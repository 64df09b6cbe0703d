"""Word lists of the entity extractor: spaCy labels and our types, the head nouns of
organisations and back-references, titles stripped from people's names, generic words that are
never entities, and the small closed lists used to trim and normalise spans."""

from __future__ import annotations

TYPES = ("PERSON", "ORG", "PLACE", "MISC")
TIE_ORDER = ("ORG", "PERSON", "PLACE", "MISC")  # a 1:1 vote between labels goes to the first
LABEL_TYPE = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
}
DROP_LABELS = frozenset(
    """
    DATE TIME MONEY PERCENT QUANTITY ORDINAL CARDINAL
    """.split()
)

# Words that end an organisation's name (used to keep, retype and recognise organisations).
ORG_HEADS = frozenset(
    """academy agency airline airlines airways army assembly association authority bank board bureau
    cabinet center centre church club coalition college commission committee company conference
    congress consortium corporation corps council court courts department division exchange
    federation force forces foundation fund gazette group guard herald holdings hospital house
    inc institute institution league legion magazine ministry movement museum navy network news
    office organisation organization parliament partnership party police post press project
    radio railway railways regiment school senate service services society squad station studio
    store studios team telegraph television times trust tribune tv union university
    bankasi banka banco banca banque bancorp sparkasse sirketi gruppo groupe grupo compagnie
    compania companhia
    """.split()
)
# Heads that make a span tagged PERSON an organisation ("Music Store"); not the ones that are
# also common surnames (Press, House, Post, Church, Bank, Times...).
PERSON_ORG_HEADS = frozenset(
    """
    agency airlines airways association authority bureau club college commission committee company
    corporation corps council department foundation group institute magazine ministry museum office
    organisation organization party school society store university
    bankasi banka banco banca banque bancorp sparkasse sirketi gruppo groupe grupo compagnie
    compania companhia
    """.split()
)
# Heads of definite back-references ("the office", "the company") and their ORG-name endings.
BACKREF_HEADS: dict[str, frozenset[str]] = {
    "office": frozenset({"office"}),
    "ministry": frozenset({"ministry"}),
    "agency": frozenset({"agency"}),
    "department": frozenset({"department"}),
    "commission": frozenset({"commission"}),
    "committee": frozenset({"committee"}),
    "council": frozenset({"council"}),
    "court": frozenset({"court"}),
    "bank": frozenset({"bank"}),
    "party": frozenset({"party"}),
    "union": frozenset({"union"}),
    "university": frozenset({"university"}),
    "group": frozenset({"group"}),
    "company": frozenset("company inc inc. corp corp. corporation co co. ltd ltd. llc plc".split()),
    "firm": frozenset("company inc inc. corp corp. corporation ltd plc".split()),
}
# Heads of possessive-place organisations: "South Korea's presidential office".
NOMINAL_ORG_HEADS = frozenset(
    "office ministry department agency parliament cabinet embassy".split()
)
PLACE_NOUNS = frozenset(
    """
    town city village province county district region state island islands port capital
    municipality prefecture suburb neighbourhood neighborhood
    """.split()
)
# Leading words dropped from people's names. Royal and religious titles are kept ("Pope Francis").
PERSON_TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor emeritus president vice prime
    minister senator sen. rep. representative congressman congresswoman governor gov. judge
    justice presiding general gen. major maj. colonel col. lieutenant lt. captain capt.
    sergeant sgt. admiral adm. commander chancellor secretary chairman chairwoman ceo director
    mayor ambassador commissioner inspector detective officer coach chief deputy former late
    dame sir lord lady rev. reverend spokesman spokeswoman spokesperson analyst editor
    administrator founder co-founder executive manager head
    """.split()
)
# Names of countries that are also common given names: a PERSON span keeps them.
NAME_LIKE_PLACES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "India", "Kenya", "Niger"})
# Generic words and job titles that are never an entity on their own (compared casefolded).
GENERIC = frozenset(
    """government state court commission church parliament council ministry department office
    agency police army navy military president minister professor professors secretary chairman
    ceo director officer officers senator governor mayor judge king queen prince pope company
    group party union republic kingdom empire federal national international interview image
    photo wikinews wikipedia internet web online the a an north south east west northern
    administration authorities games
    southern eastern western central city town state province region county capital emeritus
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow
    """.split()
)
TIME_ZONES = frozenset(
    "UTC GMT BST CET CEST EET EEST EST EDT CST CDT MST MDT PST PDT AEST AEDT JST KST IST".split()
)
UNITS = frozenset(
    "GB MB KB TB GHz MHz kHz Mbps Gbps USD EUR GBP JPY CNY AUD CAD CHF RMB mph kph km".split()
)
# Caption and credit words that trail names in image captions ("Washington D.C. Image").
TRAILING_NOISE = frozenset({"image", "photo", "picture", "archived", "file", "video", "audio"})
# Lowercase particles that belong inside names ("al-Amr", "de Gaulle", "van Gogh").
NAME_PARTICLES = frozenset(
    """
    al de del della di da du van von der den la le bin ibn el dos das y e
    """.split()
)
# What may follow a company's short name in its full name ("Apple" -> "Apple Computer").
CORPORATE_SUFFIXES = frozenset(
    """
    inc inc. corp corp. corporation company co co. ltd ltd. plc llc group computer computers
    holdings international motor motors airlines airways ag sa s.a. n.v. limited industries
    systems technologies entertainment communications bank energy pharmaceuticals system
    bancorp bancorporation bancshares
    as asa ab oyj spa s.p.a. bv b.v. kk sarl srl
    """.split()
)
# A company's legal form: a name ending with one is never a person ("Odom Sausage Co").
LEGAL_SUFFIXES = frozenset(
    """inc inc. corp corp. co co. ltd ltd. llc plc ag gmbh s.a. n.v. lp llp as asa ab oyj spa
    s.p.a. bv b.v. kk sarl srl nv sa se oy pt""".split()
)
COMMA_KEEP = frozenset(
    """
    inc inc. ltd ltd. jr jr. sr sr. d.c. dc co co. llc plc s.a. n.v. ag
    """.split()
)
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019", "s"})
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "on"})
INDEX_WORDS = frozenset({"index", "indices", "average", "composite"})

ORG_TRAILING_TITLES = frozenset(
    """
    spokesman spokeswoman spokesperson executive administrator chairman chairwoman ceo president
    director analyst editor founder co-founder manager commissioner official officials economist
    """.split()
)

# -- context: roles before names, and the head nouns that type a name (entities.context) --------

# Head words of a role written before a name ("Special Agent in Charge", "Trade Representative",
# "FTC Chair"), on top of PERSON_TITLES.
ROLE_HEADS = PERSON_TITLES | frozenset(
    """
    agent attorney chair chairperson co-chair envoy premier superintendent sheriff marshal
    counsel undersecretary adviser advisor spokesperson rapporteur mp lawmaker councillor
    councilman councilwoman treasurer comptroller provost dean rector registrar
    """.split()
)
# Words of a role's chain after its head ("Attorney General", "Director-General").
ROLE_TAILS = frozenset({"general", "-", "in-chief", "designate", "elect"})
# Royal and religious titles: kept with a one-word name ("Pope Francis", "Prince Harry"), a role
# before a longer one ("Prince Faisal bin Farhan").
# A party's members stand for the party ("Democrats", "one Republican", "Democratic Sen."): the
# member noun, its singular and adjective, tagged NORP by the model, name one organisation.
PARTY_MEMBERS = {
    form: plural
    for plural, forms in (
        ("Democrats", ("democrat", "democrats", "democratic")),
        ("Republicans", ("republican", "republicans")),
        ("Conservatives", ("conservative", "conservatives")),
        ("Tories", ("tory", "tories")),
        ("Socialists", ("socialist", "socialists")),
        ("Communists", ("communist", "communists")),
        ("Libertarians", ("libertarian", "libertarians")),
        ("Liberal Democrats", ("liberal democrat", "liberal democrats")),
    )
    for form in forms
}
ROYAL_TITLES = frozenset("prince princess king queen pope crown".split())  # not "Sultan Al Jaber"
# Capitalised words a role may start with before its head ("Deputy", "Acting", "Trade" in
# "Trade Representative"); any other capitalised word there names the employer ("Meta
# spokesperson", "Uralsib analyst") and ends the role. Lowercase modifiers always belong to it.
ROLE_MODIFIERS = frozenset(
    """
    deputy acting assistant associate special senior chief vice under principal executive
    managing general first foreign interior defense defence trade health finance justice home
    state cabinet commerce labor labour energy education transport transportation agriculture
    environment treasury homeland security national district county city regional provincial
    federal surgeon solicitor inspector police fire press former incoming outgoing interim top
    lead permanent high supreme
    """.split()
)
# Storm words: "Cyclone Mocha", "Hurricane Idalia", "Storm Ciaran" are events (MISC).
STORM_WORDS = frozenset("storm cyclone hurricane typhoon tornado".split())
# Last words of event, law and prize names ("G20 Summit", "Olympic Games", "Clean Air Act").
EVENT_HEADS = frozenset(
    """
    summit games olympics olympiad paralympics cup championship championships festival expo
    tournament marathon awards award prize act treaty accord accords
    """.split()
)
# Last words of names that are events when the sentence says so ("at the Munich Security
# Conference") and organisations otherwise ("the Southern Christian Leadership Conference").
MEETING_HEADS = frozenset("conference forum convention dialogue talks meeting".split())
# Words that tie a meeting to a time or place: its name is an event there.
MEETING_PREPS = frozenset(
    "at during before after ahead sidelines attend attended attending".split()
)
# Common nouns that say what a name is, when they head it ("the Qakbot malware") or stand in
# apposition to it ("Sinbad, a virtual currency mixer"; "rival Aer Lingus").
KIND_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        """malware ransomware virus trojan botnet worm spyware backdoor app application software
        smartphone smartphones handset vehicle vehicles car cars suv sedan truck jet jets aircraft
        airliner plane tank tanks rifle drone tablet laptop console chip chips processor model
        drug vaccine pill medicine browser version feature tool widget update edition
        program programme device game engine player camera computer storm hurricane cyclone typhoon
        species genus fungus bacterium bacteria microbe parasite shuttle spacecraft orbiter rocket""".split(),
        "MISC",
    ),
    **dict.fromkeys(
        """company firm carmaker automaker airline carrier bank lender broadcaster exchange mixer
        platform startup start-up insurer retailer maker manufacturer conglomerate network
        operator developer publisher website newspaper agency charity union regulator
        watchdog daily weekly tabloid magazine journal studio""".split(),
        "ORG",
    ),
    **dict.fromkeys(
        """town city village province county district region state island port capital
        coast coastline border valley peninsula desert basin delta airport
        mine mines mill mills sawmill smelter refinery oilfield deposit property stadium
        arena""".split(),
        "PLACE",
    ),
}
# Works: a name just after one ("the 1969 film Easy Rider", "her graphic novel Angel Catbird") or
# with one in apposition ("Mad Money, a CNBC show") is the work's; not a name before one ("a
# Spielberg film" is the director's).
WORK_NOUNS = frozenset(
    "film movie novel book album song show series documentary sitcom opera musical painting".split()
)
# Nouns that say what a person is ("X is an Israeli mathematician and writer"), beside the job
# nouns and titles; and their endings ("-ian", "-ist": historian, novelist).
PERSON_NOUNS = frozenset(
    """writer author artist poet novelist actor actress singer musician composer scientist
    professor lecturer researcher journalist photographer painter sculptor athlete footballer
    lawyer doctor businessman businesswoman entrepreneur politician activist philosopher
    """.split()
)
PERSON_NOUN_ENDS = ("ian", "ist")
# Vehicles whose word starts a craft's name ("Space Shuttle Atlantis", "Shuttle Discovery").
VEHICLE_WORDS = frozenset("shuttle spacecraft orbiter rocket".split())
# Jobs at a firm named before them ("Paine Webber analyst Bernie Savaiko") or after "of"
# ("analyst Peter Appert of C.J. Lawrence"): the firm is no person.
FIRM_JOBS = frozenset("analyst analysts economist economists strategist strategists".split())
# Verbs and nouns whose "on X" is a platform ("posted on Twitter", "a video on TikTok").
PLATFORM_WORDS = frozenset(
    """
    post say write share publish announce stream upload tweet comment appear advertise sell
    message chat video account page channel statement live available
    """.split()
)
# Acronyms of common terms: never an organisation or place unless the article defines them.
COMMON_ACRONYMS = frozenset(
    """
    AI GPS SMS CEO CFO COO CTO GDP IPO EV EVs LNG LED DNA RNA PDF USB VPN URL IT HR PR TV SUV
    SUVs ATM PIN ID LGBT LGBTQ ESG CPI PMI VAT AM PM FAQ API APIs IoT VR AR NFT NFTs CBD MRI
    OS PC PCs SDK CPU RAM SSD HTML HTTP LCD OLED LTE HIV AIDS GMO GMOs ETF ETFs REIT NGO
    NGOs UAV UAVs MBA PhD CEOs
    """.split()
)

# -- kinds of words that type a span whatever the model said (issue 12) ------------------------

# Job titles and the staff of a place: an ORG span ending with one of them, with no organisation
# head word, is a role or a common noun written with capitals ("the Operations Engineer",
# "Senior Plant Management"), never an organisation. Singular only: plurals end firms' names
# ("Stone Engineers", "Capital Advisors").
JOB_NOUNS = ROLE_HEADS - frozenset(
    # words that also end names of bodies ("Department of Justice", "Scottish Executive")
    """general major former late justice head executive chief deputy vice prime presiding
    emeritus lady lord sir dame coach""".split()
) | frozenset(
    """
    engineer technician supervisor superintendent foreman inspector coordinator
    specialist consultant auditor controller clerk assistant physicist scientist
    strategist trader broker lawyer accountant planner programmer designer architect nurse
    physician surgeon personnel leadership workforce
    """.split()
)
# Fields of study and professions: a span tagged ORG that is only one of them, with capitals
# ("Economics", "Counseling Psychology"), is a subject, not an organisation.
FIELD_NOUNS = frozenset(
    """
    economics psychology sociology philosophy linguistics physics chemistry biology mathematics
    engineering anthropology journalism education geology astronomy statistics accounting
    marketing nursing pharmacy theology criminology neuroscience ecology genetics humanities
    """.split()
)
# Words of a ministry's portfolio before a role ("Economics Minister", "Oil Minister",
# "Information Secretary"): part of the role, not its employer.
PORTFOLIO_WORDS = frozenset(
    """
    economics economy economic industry industries oil petroleum information communications
    culture tourism planning development housing water mining mines fisheries welfare
    immigration science technology sports youth infrastructure works social affairs budget
    revenue customs intelligence war environment
    """.split()
)
# Event words that are events alone ("the Olympics", "Paralympic sport", "the Paralympic
# movement"); and more last words of events ("Midwest Magic Jubilee", "Winter Carnival").
EVENT_WORDS = frozenset("olympic olympics paralympic paralympics olympiad".split())
MORE_EVENT_HEADS = frozenset(
    """
    carnival jubilee cavalcade fest exhibition parade gala regatta pageant biennale month
    license licence
    """.split()
)
# Last words of facilities and geographic features: a place, whatever the model said ("the
# Milbury Generating Station", "the East Coast"); "station" and "plant" only after a word that
# says they produce something ("Power Station", not "Radio Station").
FACILITY_HEADS = frozenset(
    """
    refinery smelter airport airfield dam reactor oilfield coast coastline valley peninsula
    plateau highlands basin strait base hotel
    """.split()
)
PLANT_HEADS = frozenset("station plant works".split())
PLANT_WORDS = frozenset(
    "power atomic nuclear generating energy chemical steel treatment desalination".split()
)
# "and" and "of" in other languages, inside one name ("Yapi ve Kredi Bankasi", "Banco Bilbao y
# Vizcaya"): two names joined by one of them are one organisation when it ends as one.
FOREIGN_CONNECTORS = frozenset("ve und et y e i og och".split())
# Nouns only a company has: a name that owns them ("Cisco's shareholders", "Twitter users") is an
# organisation, whatever the model said; "shares" and "stock" only as a compound ("Ryanair
# shares": a person's shares are "Smith's shares"), "headquarters" only as a possessive ("its
# Cupertino headquarters" is a place).
COMPANY_NOUNS = frozenset(
    """
    shareholder shareholders stockholder stockholders subscriber subscribers user users
    headquarters website app apps earnings revenue revenues ceo cfo
    """.split()
)
COMPANY_COMPOUND_NOUNS = COMPANY_NOUNS - {"headquarters"} | frozenset("shares stock stocks".split())
# Verbs whose subject speaks: a one-word name saying something is a person or a body.
SPEECH_LEMMAS = frozenset(
    """say tell add state announce explain ask reply answer argue claim insist note write
    comment recall acknowledge admit deny warn""".split()
)
# Common nouns of software, devices and their use: an article using them is about products.
PRODUCT_CUES = frozenset(
    """software browser app application version device interface widget smartphone
    upgrade""".split()
)

# -- newspapers, streets and facilities, products, senators' tags (issue 12) -------------------

# Last words of newspapers' and magazines' names ("Edmonton Sun", "Toronto Star", "The Globe and
# Mail"): a name ending with one is an organisation, whatever the model said. "Post" and
# "Courier" are surnames too: they make only a span not tagged PERSON an organisation.
MASTHEAD_HEADS = frozenset(
    """
    times post journal herald tribune gazette star sun globe mail chronicle telegraph observer
    guardian inquirer examiner courier dispatch bulletin mirror enquirer courant sentinel ledger
    advertiser
    """.split()
)
MASTHEAD_SURNAMES = frozenset({"post", "courier", "sun", "star"})
# Words of a source cited: "a report in X", "wrote in X" (X an outlet).
SOURCE_NOUNS = frozenset(
    """
    report article story column editorial interview op-ed piece review survey analysis
    """.split()
)
# Last words of streets, squares, bridges and stations: a place, whatever the model said ("on
# Castlefrank Road", "McMurdo Station"); "station" not after a broadcaster's word ("Radio
# Station"); "hill" not for a span tagged PERSON ("Anita Hill"); "hospital" only where it is a
# location ("at Bethesda Naval Hospital").
STREET_HEADS = frozenset(
    """
    road street avenue boulevard lane highway motorway freeway expressway square bridge
    station airport hill
    """.split()
)
BROADCAST_WORDS = frozenset("radio television tv broadcasting news".split())
LOCATION_PREPS = frozenset("at in near outside into from to inside".split())
# Nouns of what a product is for or made of: a lowercase-initial camelCase name ("iPod",
# "iTunes") or a company's product ("Google Analytics") modifying one is a product.
PRODUCT_NOUNS = frozenset(
    """
    device devices software version versions update updates app apps application applications
    edition editions handset handsets phone phones player players platform feature features
    browser browsers program programs programme model models store
    """.split()
)
# What only a company does or has after its name: "eBay Inc", "iGo said", "eBay spokesman".
COMPANY_MARKS = frozenset(
    """
    inc inc. corp corp. co co. ltd ltd. llc plc spokesman spokeswoman spokesperson ceo chief
    executive chairman president founder said says shares stock
    """.split()
)
# Tails of a company's name that are no product ("Sony Music", "Google Research").
COMPANY_TAILS = frozenset(
    """music pictures records films publishing media labs research investments securities
    capital partners ventures""".split()
)
# US states in senators' party-and-state tags ("(R-Kan.)", "Sen. Bob Dole, R-Kan.,"): AP style
# abbreviations and postal codes, a place only inside such a tag.
STATE_ABBREVIATIONS = {
    **{
        a: s
        for s, ab in (
            ("Alabama", "Ala. AL"),
            ("Alaska", "AK"),
            ("Arizona", "Ariz. AZ"),
            ("Arkansas", "Ark. AR"),
            ("California", "Calif. Cal. CA"),
            ("Colorado", "Colo. CO"),
            ("Connecticut", "Conn. CT"),
            ("Delaware", "Del. DE"),
            ("Florida", "Fla. FL"),
            ("Georgia", "Ga. GA"),
            ("Hawaii", "HI"),
            ("Idaho", "ID"),
            ("Illinois", "Ill. IL"),
            ("Indiana", "Ind. IN"),
            ("Iowa", "IA"),
            ("Kansas", "Kan. Kans. KS"),
            ("Kentucky", "Ky. KY"),
            ("Louisiana", "La. LA"),
            ("Maine", "ME"),
            ("Maryland", "Md. MD"),
            ("Massachusetts", "Mass. MA"),
            ("Michigan", "Mich. MI"),
            ("Minnesota", "Minn. MN"),
            ("Mississippi", "Miss. MS"),
            ("Missouri", "Mo. MO"),
            ("Montana", "Mont. MT"),
            ("Nebraska", "Neb. Nebr. NE"),
            ("Nevada", "Nev. NV"),
            ("New Hampshire", "N.H. NH"),
            ("New Jersey", "N.J. NJ"),
            ("New Mexico", "N.M. NM"),
            ("New York", "N.Y. NY"),
            ("North Carolina", "N.C. NC"),
            ("North Dakota", "N.D. ND"),
            ("Ohio", "OH"),
            ("Oklahoma", "Okla. OK"),
            ("Oregon", "Ore. Oreg. OR"),
            ("Pennsylvania", "Pa. Penn. PA"),
            ("Rhode Island", "R.I. RI"),
            ("South Carolina", "S.C. SC"),
            ("South Dakota", "S.D. SD"),
            ("Tennessee", "Tenn. TN"),
            ("Texas", "Tex. TX"),
            ("Utah", "UT"),
            ("Vermont", "Vt. VT"),
            ("Virginia", "Va. VA"),
            ("Washington", "Wash. WA"),
            ("West Virginia", "W.Va. W.V. WV"),
            ("Wisconsin", "Wis. Wisc. WI"),
            ("Wyoming", "Wyo. WY"),
        )
        for a in ab.split()
    },
}
