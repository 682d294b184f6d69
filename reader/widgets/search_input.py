"""A text input that shows typed Arabic joined and right-to-left.

Textual's Input draws the value in logical order, letter by letter, left to
right: Arabic comes out reversed and unjoined. This input keeps all of
Input's editing (the value stays logical) and only changes the drawing:
text with Arabic in it is laid out by :mod:`reader.layout`, right-aligned,
with the cursor drawn where the next letter will appear.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Offset
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Input

from reader.i18n import is_rtl
from reader.layout import ELLIPSIS, Line, RenderMode, cursor_column, has_rtl, layout_line, paragraph_is_rtl


class SearchInput(Input):
    """The search field."""

    mode: reactive[RenderMode] = reactive(RenderMode.APP, init=False)

    def _uses_layout(self) -> bool:
        return self.mode is RenderMode.APP and bool(self.value) and has_rtl(self.value)

    def _visible(self, width: int) -> tuple[Line, int, int]:
        """(laid-out line, logical shift, left padding) of what fits in ``width``.

        When the query is wider than the field, its start is dropped (behind
        an ellipsis) so the letters around the cursor stay in view.
        """
        room = max(1, width - 1)  # one cell stays free for the cursor
        value, shift = self.value, 0
        if layout_line(value, 1 << 20, mode=self.mode, rtl=True, columns=True).cells > room:
            start = 0
            while start < self.cursor_position and (
                layout_line(ELLIPSIS + value[start:], 1 << 20, mode=self.mode, rtl=True, columns=True).cells
                > room
            ):
                start += 1
            if start:
                value, shift = ELLIPSIS + value[start:], start - 1
        line = layout_line(value, room, mode=self.mode, rtl=True, columns=True)
        return line, shift, max(0, width - line.cells)

    def render_line(self, y: int) -> Strip:
        if y == 0 and not self.value and self.mode is RenderMode.APP and has_rtl(self.placeholder):
            return self._render_placeholder()
        if y != 0 or not self._uses_layout():
            return super().render_line(y)
        width = self.scrollable_content_region.width
        line, shift, pad = self._visible(width)
        text = Text(" " * pad + line.text, no_wrap=True, end="")
        if self.has_focus and not self.selection.is_empty:
            # Mark the selected letters wherever the layout put them.
            start, end = sorted(self.selection)
            selection_style = self.get_component_rich_style("input--selection")
            for index in range(max(0, start - shift), min(end - shift, len(line.columns))):
                column = pad + line.columns[index]
                text.stylize(selection_style, column, column + 1)
        if self.has_focus and self._cursor_visible:
            column = max(0, pad + cursor_column(line, self.cursor_position - shift))
            if column >= text.cell_len:
                text.pad_right(column - text.cell_len + 1)
            text.stylize(self.get_component_rich_style("input--cursor"), column, column + 1)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(0, width + 1, self.rich_style).apply_style(self.rich_style)

    def _render_placeholder(self) -> Strip:
        """The placeholder's Arabic examples, readable, in the direction of its sentence."""
        width = self.scrollable_content_region.width
        rtl = paragraph_is_rtl(self.placeholder, default_rtl=is_rtl())
        line = layout_line(self.placeholder, max(1, width - 1), mode=self.mode, rtl=rtl)
        pad = max(0, width - 1 - line.cells) if rtl else 0  # the last cell is the cursor's
        text = Text(
            " " * pad + line.text,
            style=self.get_component_rich_style("input--placeholder"),
            no_wrap=True,
            end="",
        )
        if self.has_focus and self._cursor_visible:
            cursor = max(0, width - 1) if rtl else 0
            text.stylize(self.get_component_rich_style("input--cursor"), cursor, cursor + 1)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(0, width + 1, self.rich_style).apply_style(self.rich_style)

    @property
    def cursor_screen_offset(self) -> Offset:
        if not self._uses_layout():
            return super().cursor_screen_offset
        x, y, width, _ = self.content_region
        line, shift, pad = self._visible(width)
        return Offset(x + max(0, pad + cursor_column(line, self.cursor_position - shift)), y)

    def watch_mode(self) -> None:
        self.refresh()
