"""Pieces of the page shell: `{% load phoihop_ui %}`.

The main navigation lists the modules of the product. A module appears as a link as soon as its
app defines the URL name given here (conventionally `<app>:index`); until then it is shown
disabled with a "sắp có" hint, never as a dead link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str


MODULES = (
    NavEntry(_("Trao đổi thông tin"), "exchange:index"),
    NavEntry(_("Vụ việc"), "cases:index"),
    NavEntry(_("Hoạt động phối hợp"), "operations:index"),
    NavEntry(_("Dân vận"), "mobilisation:index"),
    NavEntry(_("Chỉ tiêu & báo cáo"), "indicators:index"),
    NavEntry(_("Báo cáo sơ kết"), "reports:index"),
    NavEntry(_("Bản đồ"), "dashboards:map"),
)

# Django's message levels mapped to Bootstrap's alert colours.
_ALERT_CLASSES = {"debug": "secondary", "info": "info", "success": "success", "warning": "warning"}


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current_namespace = match.namespace if match else ""
    entries = []
    for entry in MODULES:
        namespace = entry.url_name.partition(":")[0]
        entries.append(
            {
                "label": entry.label,
                "url": _url(entry.url_name),
                "active": bool(current_namespace) and current_namespace == namespace,
            }
        )
    return {"entries": entries, "request": request}


@register.simple_tag(takes_context=True)
def can_open_admin(context: template.Context) -> bool:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    has_role = getattr(user, "has_role", None)
    return bool(user.is_staff or (has_role is not None and has_role("administrator")))


@register.simple_tag(takes_context=True)
def second_factor_pending(context: template.Context) -> bool:
    """Signed in with the password but not yet through the required second factor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    if not getattr(user, "needs_second_factor", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


@register.filter
def alert_class(message_tags: str) -> str:
    """`error` → `danger`, and so on; unknown tags fall back to `info`."""
    for tag in str(message_tags).split():
        if tag == "error":
            return "danger"
        if tag in _ALERT_CLASSES:
            return _ALERT_CLASSES[tag]
    return "info"


@register.inclusion_tag("includes/nav_tab.html")
def nav_tab(
    url_name: str,
    label: str,
    current: Any = None,
    key: Any = None,
    *,
    arg: Any = None,
    badge: Any = None,
    badge_class: str = "text-bg-secondary",
    badge_title: str = "",
    badge_testid: str = "",
    action: bool = False,
) -> dict[str, Any]:
    """One tab of a module's tab bar, active when `current == key`.

    `action` puts the tab at the right end with a "+" (the module's "create" page); `badge` shows a
    count beside the label. A URL name the project does not define (yet) gives no tab at all.
    """
    try:
        url = reverse(url_name, args=[arg] if arg is not None else None)
    except NoReverseMatch:
        url = None
    return {
        "url": url,
        "label": label,
        "active": current == key,
        "badge": badge,
        "badge_class": badge_class,
        "badge_title": badge_title,
        "badge_testid": badge_testid,
        "action": action,
    }


@register.simple_tag
def compact_fields(form: Any, layout: str, error_testid: str = "") -> SafeString:
    """A form's fields as grid cells with small labels (filters, inline rows, one-line forms).

    `layout` lists `name: grid classes` separated by `;`, in order; `*` stands for the fields not
    named (in the form's order). A name the form does not have is skipped.
    """
    if not form:
        return SafeString("")
    cells = []
    parts = [part.partition(":") for part in layout.split(";")]
    spec = [(name.strip(), classes.strip()) for name, _, classes in parts if name.strip()]
    named = {name for name, _ in spec}
    for name, classes in spec:
        if name == "*":
            fields = [field for field in form if field.name not in named]
        else:
            fields = [form[name]] if name in form.fields else []
        for field in fields:
            context = {"field": field, "error_testid": error_testid}
            cells.append((classes, render_to_string("includes/compact_field.html", context)))
    return format_html_join("\n", '<div class="{}">{}</div>', cells)


@register.simple_tag
def form_fields(fields: Any, *names: str, cols: str = "") -> SafeString:
    """Labelled fields (`includes/field.html`): the fields of form `fields` named in `names`, in
    that order (a name the form does not have is skipped), or every field `fields` iterates over
    (`form`, `form.visible_fields`). With `cols`, each field sits in a grid cell of those classes.
    """
    if not fields:
        return SafeString("")
    bound = [fields[name] for name in names if name in fields.fields] if names else list(fields)
    html = [render_to_string("includes/field.html", {"field": field}) for field in bound]
    if cols:
        return format_html_join("\n", '<div class="{}">{}</div>', ((cols, h) for h in html))
    return SafeString("\n".join(html))


def _columns(numbers: str) -> set[int]:
    return {int(n) for n in numbers.split()}


@register.simple_tag
def table_head(*labels: Any, end: str = "", md: str = "") -> SafeString:
    """A table's `<thead>`: one column header per label. `end` and `md` list the columns (counted
    from 1, separated by spaces) aligned right, and shown only from the md breakpoint up."""
    right, wide = _columns(end), _columns(md)
    cells = []
    for number, label in enumerate(labels, start=1):
        wanted = (("d-none d-md-table-cell", number in wide), ("text-end", number in right))
        classes = " ".join(name for name, on in wanted if on)
        cells.append((format_html(' class="{}"', classes) if classes else "", label))
    header = format_html_join("", '<th scope="col"{}>{}</th>', cells)
    return format_html("<thead><tr>{}</tr></thead>", header)


class ComponentNode(template.Node):
    """A block tag's content (`body`) rendered inside a template, with the tag's arguments."""

    def __init__(
        self,
        template_name: str,
        values: dict[str, Any],
        nodelist: template.NodeList,
        args: dict[str, Any],
        prepare: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.template_name = template_name
        self.values = values
        self.prepare = prepare
        self.nodelist = nodelist
        self.args = args

    def render(self, context: template.Context) -> str:
        values = {**self.values, **{name: arg.resolve(context) for name, arg in self.args.items()}}
        values["body"] = self.nodelist.render(context)
        if self.prepare is not None:
            self.prepare(values)
        assert context.template is not None
        component = context.template.engine.get_template(self.template_name)
        with context.push(values):
            return component.render(context)


def component(
    name: str,
    template_name: str,
    positional: tuple[str, ...],
    prepare: Callable[[dict[str, Any]], None] | None = None,
    **options: Any,
) -> None:
    """Register `{% name <positional…> option=value… %}…{% endname %}`, which renders
    `template_name` with those values and the content as `body`; options not given take the
    values here (so the surrounding page's variables of the same name never leak in).
    `prepare` completes the values before rendering."""

    def compile_tag(parser: template.base.Parser, token: template.base.Token) -> ComponentNode:
        bits = token.split_contents()[1:]
        given, rest = bits[: len(positional)], bits[len(positional) :]
        count = len(rest)
        kwargs = template.base.token_kwargs(rest, parser)  # empties `rest`
        if len(given) < len(positional) or len(kwargs) != count or set(kwargs) - set(options):
            raise template.TemplateSyntaxError(
                f"{{% {name} %}} takes {' '.join(positional)}, then any of: {', '.join(options)}"
            )
        args = {key: parser.compile_filter(bit) for key, bit in zip(positional, given, strict=True)}
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        return ComponentNode(template_name, options, nodelist, {**args, **kwargs}, prepare)

    register.tag(name, compile_tag)


# `{% card "heading-id" title %}…{% endcard %}`: a card section labelled by its `<h2>`. `css`
# replaces the section's margin `mb-3`; `title_css` the heading's `h6 card-title`; with `href`
# the title is a link.
component(
    "card", "includes/card.html", ("heading", "title"),
    id=None, css=None, body_css="", title_css="", testid="", href="",
)  # fmt: skip


# `{% datatable "table classes" %}<thead>…<tbody>…{% enddatatable %}`: a responsive table, then
# the pagination of `page`. With `empty`, no rows (`rows`, by default the page's) show that
# sentence (a paragraph of `empty_css`) instead of the table. `caption` is for screen readers.
def _rows_of_page(values: dict[str, Any]) -> None:
    if values["rows"] is None and values["page"]:
        values["rows"] = values["page"].object_list


component(
    "datatable", "includes/datatable.html", ("css",), _rows_of_page,
    page=None, rows=None, empty="", empty_css="text-body-secondary", testid="", caption="",
)  # fmt: skip

# `{% page_header title %}buttons{% endpage_header %}`: a page's `<h1>` with its actions at the
# right. `align` is the row's vertical alignment; `testid` marks the heading.
component("page_header", "includes/page_header.html", ("title",), align="center", testid="")


@register.simple_tag
def badge(
    value: Any,
    label: Any,
    colours: str = "",
    *,
    default: str = "secondary",
    testid: str = "",
    css: str = "",
    data: str = "",
) -> SafeString:
    """A status shown as a coloured badge: `colours` maps values to Bootstrap colours
    (`"done:success failed:danger"`), other values take `default`; `light` gets a border.
    `data` names a `data-` attribute that carries the value (`data="status"`)."""
    colour = dict(pair.split(":", 1) for pair in colours.split()).get(str(value), default)
    classes = f"badge text-bg-{colour}{' border' if colour == 'light' else ''}"
    attrs = format_html(' data-testid="{}"', testid) if testid else ""
    if data:
        attrs = format_html('{} data-{}="{}"', attrs, data, value)
    return format_html(
        '<span class="{}"{}>{}</span>', f"{classes} {css}" if css else classes, attrs, label
    )
