"""Pydantic records of a case folder, one module per kind."""

from .allegation import (
    Allegation,
    Category,
    ConventionRef,
    Evidence,
    Precision,
    UrgencyGround,
    convention_ref,
)
from .annex import Annex, AnnexKind, AnnexRegister, PublicReview
from .case import Case, Complainant, ComplainantRole, PriorReport, Ratification
from .common import DateRange, PartialDate, Record, When, when_bounds, when_key
from .party import Alias, Group, Organisation, OrgKind, Parties, PartyBase, Person, Role
from .submission import (
    CFA_KINDS,
    Addressee,
    Signatory,
    Submission,
    SubmissionKind,
    Urgency,
)

__all__ = [
    "CFA_KINDS",
    "Addressee",
    "Alias",
    "Allegation",
    "Annex",
    "AnnexKind",
    "AnnexRegister",
    "Case",
    "Category",
    "Complainant",
    "ConventionRef",
    "ComplainantRole",
    "DateRange",
    "Evidence",
    "Group",
    "OrgKind",
    "Organisation",
    "Parties",
    "PartialDate",
    "PartyBase",
    "Person",
    "Precision",
    "PriorReport",
    "PublicReview",
    "Ratification",
    "Record",
    "Role",
    "Signatory",
    "Submission",
    "SubmissionKind",
    "Urgency",
    "UrgencyGround",
    "When",
    "convention_ref",
    "when_bounds",
    "when_key",
]
