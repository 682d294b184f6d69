"""A yes/no question over the app, before anything that cannot be undone.

The question is a sentence of the interface; the subject under it (an
article's title) is laid out like the articles, so Arabic reads joined and
in order. ``y`` confirms; ``n`` and escape keep things as they are, and so
does enter, which starts on the button that keeps them.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button

from reader.i18n import _, is_rtl
from reader.layout import RenderMode, layout_paragraph, paragraph_is_rtl


class LaidOutText(Widget):
    """A paragraph laid out by :mod:`reader.layout` at the widget's width."""

    DEFAULT_CSS = "LaidOutText { height: auto; }"

    def __init__(self, text: str, *, mode: RenderMode, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.text = text
        self.mode = mode

    def _lines(self, width: int) -> list[Text]:
        rtl = paragraph_is_rtl(self.text, default_rtl=is_rtl())
        lines = layout_paragraph(self.text, max(1, width), mode=self.mode, rtl=rtl)
        align = self.mode is RenderMode.APP
        return [line.render(width, align=align) for line in lines]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Text:
        lines = self._lines(self.size.width)
        text = Text("\n", no_wrap=True, overflow="crop", end="").join(lines)
        text.no_wrap = True
        return text


class ConfirmScreen(ModalScreen[bool]):
    """Asks before doing it; dismissed with True to go ahead."""

    BINDINGS = [
        Binding("y", "confirm", "Yes"),
        Binding("n", "cancel", "No"),
        Binding("escape", "cancel", "No", show=False),
    ]

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: round $error; background: $surface; padding: 1 2;
    }
    ConfirmScreen .question { text-style: bold; }
    ConfirmScreen .subject { color: $text-muted; margin-top: 1; }
    ConfirmScreen .hint { color: $text-muted; margin-top: 1; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: center; }
    ConfirmScreen Button { margin: 0 1; }
    """

    def __init__(
        self,
        question: str,
        subject: str = "",
        *,
        confirm: str,
        mode: RenderMode = RenderMode.APP,
    ) -> None:
        super().__init__()
        self.question = question
        self.subject = subject
        self.confirm_label = confirm
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LaidOutText(self.question, mode=self.mode, classes="question")
            if self.subject:
                yield LaidOutText(self.subject, mode=self.mode, classes="subject")
            yield LaidOutText(_("y confirms · n or escape keeps it"), mode=self.mode, classes="hint")
            buttons = [
                Button(self._label(self.confirm_label), variant="error", id="confirm"),
                Button(self._label(_("Keep it")), id="cancel"),
            ]
            with Horizontal():
                yield from reversed(buttons) if is_rtl() else buttons

    def _label(self, text: str) -> str:
        if self.mode is RenderMode.APP:
            return layout_paragraph(text, 1 << 20, mode=self.mode, rtl=is_rtl())[0].text
        return text

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
