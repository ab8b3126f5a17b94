"""The site's database models, one module per part of the site."""

from riskcalc.models.restrictions import Confidence, Jurisdiction, Restriction

__all__ = ["Confidence", "Jurisdiction", "Restriction"]
