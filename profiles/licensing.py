"""The terms the published data is under, said once for every writer of it: the export formats,
the read API and the pages' footer say the same (README, "Licences").

The code is MIT (LICENSE); the data is CC BY-SA 4.0, because it redistributes quotations from
Wikipedia, whose text is CC BY-SA 4.0. A plain value module: no Django.
"""

DATA_LICENSE = {
    "name": "CC BY-SA 4.0",
    "url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "attribution": (
        "Profiles by the bioproject contributors, CC BY-SA 4.0. Each quotation is its source's, "
        "credited by the citation that names it (title, publisher, URL); quotations from Wikipedia "
        "are by Wikipedia contributors, CC BY-SA 4.0."
    ),
}

# One line, for where an object does not fit (a CSV cell, a page footer, a header).
DATA_LICENSE_LINE = f"{DATA_LICENSE['name']} {DATA_LICENSE['url']}"
# An HTTP Link header (RFC 8288) naming the licence, as API readers look for it.
LICENSE_LINK = f'<{DATA_LICENSE["url"]}>; rel="license"'
