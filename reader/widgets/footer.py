"""The footer: the keys of what has focus, in the interface language, mirrored in Arabic.

Descriptions are the bindings' English descriptions looked up in the
catalog and laid out by the same engine as the articles (shaped and in
display order when the app draws Arabic itself). In Arabic the keys start
from the right, each key on the right of its description, and the command
palette's key sits at the left end.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from reader import i18n
from reader.layout import RenderMode, visual

#: Cells the command palette's key takes, and the padding around each key and description.
PALETTE_CELLS = 14
KEY_PADDING = 4
#: Texts of Textual's own that the app shows: the palette's key, its built-in commands.
BUILT_IN = (
    i18n.N_("palette"),
    # Textual's own commands in the palette.
    i18n.N_("Theme"),
    i18n.N_("Change the current theme"),
    i18n.N_("Quit"),
    i18n.N_("Quit the application as soon as possible"),
    i18n.N_("Keys"),
    i18n.N_("Hide the keys and widget help panel"),
    i18n.N_("Show help for the focused widget and a summary of available keys"),
    i18n.N_("Minimize"),
    i18n.N_("Minimize the widget and restore to normal size"),
    i18n.N_("Maximize"),
    i18n.N_("Maximize the focused widget"),
    i18n.N_("Screenshot"),
    i18n.N_("Save an SVG 'screenshot' of the current screen"),
)


def chrome(text: str, mode: RenderMode) -> str:
    """A label of the interface as the terminal must receive it in ``mode``."""
    if mode is RenderMode.APP:
        return visual(text, rtl=i18n.is_rtl(), mode=mode)
    return text


class MirroredFooterKey(FooterKey):
    """A footer key read right to left: the description on the left of its key."""

    def render(self) -> Text:
        text = super().render()
        if not self.description:
            return text
        padding = self.get_component_styles("footer-key--key").padding
        cut = padding.left + len(self.key_display) + padding.right
        description, key = text[cut:], text[:cut]
        if not description.plain.endswith(" ") and not key.plain.startswith(" "):
            description.append(" ")
        return Text.assemble(description, key)


class ReaderFooter(Footer):
    """Textual's footer with translated, shaped labels; mirrored for Arabic."""

    DEFAULT_CSS = """
    ReaderFooter.-rtl { align-horizontal: right; }
    ReaderFooter.-rtl FooterKey.-command-palette {
        dock: left;
        border-left: none;
        border-right: vkey $foreground 20%;
        padding-left: 1;
        padding-right: 0;
    }
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        rtl = i18n.is_rtl()
        self.set_class(rtl, "-rtl")
        mode = getattr(self.app, "render_mode", RenderMode.APP)
        key_class = MirroredFooterKey if rtl else FooterKey
        active = self.screen.active_bindings
        keys: list[FooterKey] = []
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append(
                key_class(
                    binding.key,
                    self.app.get_key_display(binding),
                    chrome(i18n._(binding.description), mode),
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                )
            )
        for key in keys:
            key.set_reactive(FooterKey.compact, self.compact)
        if rtl:
            # Keys that do not fit go from the end of the reading direction (the left), not the start.
            room = self.app.size.width - PALETTE_CELLS
            kept = []
            for key in keys:
                room -= len(key.key_display) + len(key.description) + KEY_PADDING
                if room < 0:
                    break
                kept.append(key)
            keys = kept[::-1]
        yield from keys
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _node, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                return
            palette = key_class(
                binding.key,
                self.app.get_key_display(binding),
                chrome(i18n._(binding.description), mode),
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )
            palette.set_reactive(FooterKey.compact, self.compact)
            yield palette
