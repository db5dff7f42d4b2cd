"""Administrative units: the province an article is about, under the legacy and the current map."""
from extractors.places.extract import ProvinceRef, article_province, resolve_province

__all__ = ["ProvinceRef", "article_province", "resolve_province"]
