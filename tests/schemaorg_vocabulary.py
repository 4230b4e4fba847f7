"""The schema.org terms the site's JSON-LD uses, with their definitions, for tests/test_structured.py.

Not the whole vocabulary (schemaorg-current-https.jsonld is 1.4 MB and could not be fetched
offline), but an explicit table of every type and property factsheet/structured.py writes, each
as schema.org defines it (release 28.0): a type's direct supertype, and a property's domain
("used on these types") and range ("values expected to be one of these types"). The definitions
were checked against schema.org's term pages (schema.org/Claim, /firstAppearance, /correction, …)
and against code generated from the schema.org release data (JoliCode's json-ld vocabulary
models, which carry each property's TYPES and VALUES). A property or type used by structured.py
and missing here fails the test: add it here only after checking its definition on schema.org.

"pending" marks terms of schema.org's "new" area (Claim and its properties, correction and
CorrectionComment): defined and published, still open to change.
"""

# type → its direct supertype on schema.org ("Thing" is the root)
TYPES = {
    "Thing": None,
    "CreativeWork": "Thing",
    "Claim": "CreativeWork",  # pending; https://schema.org/Claim
    "Comment": "CreativeWork",
    "CorrectionComment": "Comment",  # pending; https://schema.org/CorrectionComment
    "Dataset": "CreativeWork",
    "MediaObject": "CreativeWork",
    "DataDownload": "MediaObject",
    "Organization": "Thing",
    "GovernmentOrganization": "Organization",
    "Person": "Thing",
}

# Data types: what a JSON string may stand for.
DATA_TYPES = {"Text", "URL", "Date", "DateTime"}

# property → (types it is used on, types of its values)
PROPERTIES = {
    "name": ({"Thing"}, {"Text"}),
    "description": ({"Thing"}, {"Text", "TextObject"}),
    "url": ({"Thing"}, {"URL"}),
    "sameAs": ({"Thing"}, {"URL"}),
    "text": ({"CreativeWork"}, {"Text"}),
    "author": ({"CreativeWork", "Rating"}, {"Organization", "Person"}),
    "publisher": ({"CreativeWork", "PublicationEvent"}, {"Organization", "Person"}),
    "datePublished": ({"CreativeWork", "Certification"}, {"Date", "DateTime"}),
    "inLanguage": ({"CreativeWork", "Event", "BroadcastService", "CommunicateAction",
                    "LinkRole", "PronounceableText", "WriteAction"}, {"Language", "Text"}),
    "archivedAt": ({"CreativeWork"}, {"URL", "WebPage"}),
    "license": ({"CreativeWork"}, {"CreativeWork", "URL"}),
    "correction": ({"CreativeWork"}, {"CorrectionComment", "Text", "URL"}),  # pending
    "appearance": ({"Claim"}, {"CreativeWork"}),  # pending
    "firstAppearance": ({"Claim"}, {"CreativeWork"}),  # pending
    "distribution": ({"Dataset"}, {"DataDownload"}),
    "contentUrl": ({"MediaObject"}, {"URL"}),
    "encodingFormat": ({"CreativeWork", "MediaObject"}, {"Text", "URL"}),
}

# JSON-LD keywords, not schema.org terms.
KEYWORDS = {"@context", "@type", "@id"}


def ancestors(type_name: str) -> list[str]:
    """A type and its supertypes, up to Thing."""
    found = []
    while type_name is not None:
        found.append(type_name)
        type_name = TYPES[type_name]
    return found


def problems(node, where: str = "$") -> list[str]:
    """Every way a JSON-LD node breaks the table: an unknown type or property, a property used
    on a type outside its domain, a value outside its range."""
    found: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += problems(item, f"{where}[{index}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{where}: unknown type {kind!r}"]
    lineage = set(ancestors(kind))
    for key, value in node.items():
        if key in KEYWORDS:
            continue
        if key not in PROPERTIES:
            found.append(f"{where}.{key}: not a schema.org property (or not in the table)")
            continue
        domain, range_ = PROPERTIES[key]
        if not domain & lineage:
            found.append(f"{where}.{key}: not used on {kind} (domain {sorted(domain)})")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item_kind = item.get("@type")
                if item_kind in TYPES and not set(ancestors(item_kind)) & range_:
                    found.append(f"{where}.{key}: a {item_kind} is not one of {sorted(range_)}")
                found += problems(item, f"{where}.{key}")
            elif isinstance(item, str):
                if not range_ & DATA_TYPES:
                    found.append(f"{where}.{key}: text where {sorted(range_)} is expected")
            else:
                found.append(f"{where}.{key}: {type(item).__name__} is not a schema.org value")
    return found
