"""StreamField blocks of a lesson. Each renders light HTML that reads well on a 360-px phone."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading inside the lesson.")
        preview_value = "Empat pilar Desmigratif"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "ol", "ul", "link"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "courses/blocks/paragraph.html"
        label = _("Text")
        description = _("Paragraphs and lists. Keep sentences short and plain.")
        preview_value = "<p>Pusat Layanan Migrasi berada di balai desa.</p>"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image with caption")
        description = _("A picture, sent in a small size suited to phones.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video address"), help_text=_("A YouTube or Vimeo address."))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        description = _("Shown as a link, so the page stays light on a metered connection.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Document download")
        description = _("A file to download, such as the module PDF.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")
        description = _("A framed note: information, a tip or a warning.")
        preview_value = {
            "kind": "warning",
            "title": "Hati-hati calo",
            "text": "Pungutan di luar struktur biaya resmi penempatan adalah pungutan liar.",
        }


class KeyPointsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("Point"), max_length=250), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/key_points.html"
        label = _("Key points")
        description = _("A short list of what to remember.")
        preview_value = ["Empat pilar", "Pusat Layanan Migrasi di balai desa"]


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=80)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        icon = "help"
        template = "courses/blocks/glossary_term.html"
        label = _("Glossary term")
        description = _("A term and its meaning, such as PMI or CPMI.")
        preview_value = {"term": "PMI", "definition": "Pekerja Migran Indonesia."}


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    key_points = KeyPointsBlock()
    glossary_term = GlossaryTermBlock()
