"""The licence of the published data, said once for the API (and whoever else states it).

The profiles quote Wikipedia, whose text is CC BY-SA 4.0: what redistributes the quotes is shared
under the same licence, with attribution to the sources each citation names.
"""

DATA_LICENSE_NAME = "CC BY-SA 4.0"
DATA_LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
DATA_ATTRIBUTION = (
    "Published data of bioproject, under CC BY-SA 4.0. Quotations are from the sources each "
    "citation names (Wikipedia's text by Wikipedia contributors, CC BY-SA 4.0); attribute them to "
    "those sources and share what you make from them under the same licence."
)
# An HTTP Link header (RFC 8288) naming the licence, as API readers look for it.
LICENSE_LINK = f'<{DATA_LICENSE_URL}>; rel="license"'
