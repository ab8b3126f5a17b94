"""The site's database models, one module per part of the site."""

from riskcalc.models.classroom import ClassSession, Student, Submission
from riskcalc.models.exchange_data import TierTableVersion
from riskcalc.models.ratelimit import RateLimitCounter
from riskcalc.models.restrictions import Confidence, Jurisdiction, Restriction

__all__ = [
    "ClassSession",
    "Confidence",
    "Jurisdiction",
    "RateLimitCounter",
    "Restriction",
    "Student",
    "Submission",
    "TierTableVersion",
]
