"""What every page builder needs: the bundle, the plan, styles, language and name rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..errors import BuildError
from ..l10n.articles import Gender
from ..load import CaseBundle
from ..models import Case, Group, Organisation, PartyBase, Person
from ..models.common import TO_BE_SUPPLIED
from ..models.texts import in_language, only_in
from ..plan import Paragraph as PlanParagraph
from ..plan import PinRef, Plan
from . import i18n, localise
from .markdown import link, xml
from .names import display_name, redact_text
from .styles import Styles, make_styles

LINK_PREFIX = "dossier:page/"


def page_uri(page: int) -> str:
    return f"{LINK_PREFIX}{page}"


_SUPPLIED = re.compile(re.escape(TO_BE_SUPPLIED), re.IGNORECASE)


@dataclass
class Ctx:
    bundle: CaseBundle
    plan: Plan

    @cached_property
    def styles(self) -> Styles:
        return make_styles()

    @property
    def lang(self) -> str:
        return self.plan.language if self.plan.language in i18n.LANGUAGES else "en"

    @property
    def edition(self) -> str:
        return self.plan.edition

    @property
    def case(self) -> Case:
        if self.bundle.case is None:
            raise BuildError("case.yaml could not be loaded; run 'dossier check' and fix it first")
        return self.bundle.case

    def t(self, key: str, **values: object) -> str:
        return i18n.t(self.lang, key, **values)

    @property
    def records_lang(self) -> str:
        """The language the records are written in (their plain texts)."""
        return self.case.language

    def text(self, value: str | None, *, markdown: bool = False) -> str:
        """A record's text in the dossier's language (a fallback marked ``[en]``), redacted."""
        return self.redact(
            self.supplied(
                localise.localised(value, self.lang, self.records_lang, markdown=markdown)
            )
        )

    def supplied(self, text: str) -> str:
        """``text`` with the records' placeholder "to be supplied" in the dossier's language
        ("por aportar"): a draft prints what is missing in the language it is written in."""
        if self.lang == "en":
            return text
        return _SUPPLIED.sub(lambda _: self.t("to_be_supplied"), text)

    def name(self, party_id: str | None) -> str:
        """A party's name in the dossier's language (a person's as recorded: a proper name is
        not translated), or its pseudonym."""
        party = self.party(party_id)
        shown = display_name(self.bundle, party_id, self.edition)
        if party is None or shown != str(party.name):
            return shown  # free text, or a pseudonym in the public edition
        if isinstance(party, Person):
            return self.supplied(in_language(party.name, self.lang, self.records_lang)[0])
        return self.supplied(localise.localised(party.name, self.lang, self.records_lang))

    def article(self, party_id: str | None) -> str | None:
        """The article an organisation's name takes in the dossier's language (None: none, or
        not recorded for this language, or a pseudonym)."""
        party = self.party(party_id)
        if not isinstance(party, Organisation) or self.name(party_id) != self.name_as_is(party):
            return None
        return only_in(party.article, self.lang, self.records_lang)

    def name_as_is(self, party: PartyBase) -> str:
        return in_language(party.name, self.lang, self.records_lang)[0]

    def name_in_text(
        self, party_id: str | None, sentence_start: bool = False, form: str = "subject"
    ) -> str:
        """The name as it reads inside a sentence, with its article after the preposition of
        ``form``: ``the Federation``, ``par la Fédération``, ``del Sindicato``."""
        name = self.name(party_id)
        if not name:
            return name
        return localise.with_article(
            name, self.lang, self.article(party_id), form, capitalize=sentence_start
        )

    def gender(self, party_id: str | None) -> Gender:
        """Grammatical gender of a party's name in the dossier's language (agreement)."""
        party = self.party(party_id)
        recorded = getattr(party, "gender", None) if isinstance(party, Organisation) else None
        return localise.gender_of(self.name(party_id), self.lang, self.article(party_id), recorded)

    def country(self, form: str = "bare") -> str:
        return localise.country(self.case, self.lang, form)

    def name_in_list(self, party_id: str) -> str:
        """The name as it reads inside a sentence's list: a group's descriptive name lower-cased
        ("members of the FTUK Council"), proper names as they are."""
        name = self.name(party_id)
        first = name.split(" ", 1)[0]
        descriptive = isinstance(self.party(party_id), Group) and first[1:] == first[1:].lower()
        return name[:1].lower() + name[1:] if descriptive and name[:1].isupper() else name

    def party(self, party_id: str | None) -> PartyBase | None:
        return self.bundle.party(party_id) if party_id else None

    def redact(self, text: str) -> str:
        return redact_text(self.bundle, text, self.edition)

    def case_label(self) -> str:
        return self.t("case_label", case_no=self.case.case_no, country=self.country())

    def page_of(self, key: str) -> int:
        return self.plan.part(key).first_page

    # ---- references ---------------------------------------------------------------------------
    def pin_text(self, ref: PinRef) -> str:
        label = self.t("annex_n", n=ref.annex_label)
        volume = self.plan.volumes.get(ref.annex_no)  # split dossier: say which volume
        if volume is not None:
            label = f"{self.t('volume_label', k=volume)}, {label}"
        if not ref.pages:
            return label
        pages = ref.pages.replace("-", "–")
        multi = "," in pages or "–" in pages
        return f"{label}, {self.t('pages_abbr' if multi else 'page_abbr', pages=pages)}"

    def pin_xml(self, ref: PinRef) -> str:
        return link(xml(self.pin_text(ref)), page_uri(ref.dossier_page))

    def refs_xml(self, paragraph: PlanParagraph) -> str:
        if not paragraph.refs:
            return ""
        separator = f"{self.t('semicolon')} "
        return "(" + separator.join(self.pin_xml(ref) for ref in paragraph.refs) + ")"

    def annex_link_text(self, annex_id: str) -> str:
        """ "Its text, as kept, is Annex 3." with the number linked to the annex."""
        planned = next(a for a in self.plan.annexes if a.annex.id == annex_id)
        text = xml(self.t("copy_text_annex", n=planned.label))
        number = xml(planned.label)
        return text.replace(number, link(number, page_uri(planned.first_page)), 1)

    def annex_link(self, annex_id: str) -> str:
        planned = next(a for a in self.plan.annexes if a.annex.id == annex_id)
        return link(xml(planned.label), page_uri(planned.first_page))

    def paragraph_list(self, numbers: list[int], key: str = "paragraph") -> str:
        """``paragraph 3``, ``paragraphs 1 and 2``, ``paragraphs 1 to 7, 9 and 12`` in running
        text (French "au paragraphe 3"); ``key="item_paragraph"`` for the bare form of a list."""
        if len(set(numbers)) == 1:
            return self.t(f"{key}_one", n=numbers[0])
        items = i18n.number_ranges(numbers, self.lang)
        return self.t(f"{key}_many", list=i18n.join_list(items, self.lang))
