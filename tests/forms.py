"""Read a rendered HTML form as a browser would submit it, so admin tests post real forms."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name and "-empty-" not in name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
                return
            self.data[name] = attrs.get("value", "")
        elif tag == "select" and name and "__prefix__" not in name and "-empty-" not in name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name and "__prefix__" not in name and "-empty-" not in name:
            self.textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            self.data[self.select] = chosen[0] if chosen else (self.options[0][0] if self.options else "")
            self.select = None
        elif tag == "textarea":
            if self.textarea and self.data[self.textarea].startswith("\n"):
                self.data[self.textarea] = self.data[self.textarea][1:]
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_data(response, form_id=None):
    """The fields of the form in a response, with the values a browser would send."""
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data
