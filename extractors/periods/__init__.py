"""Periods and dates: "6 tháng đầu năm 2024" → 2024-H1, "tính đến ngày 10.6" → as_of 2024-06-10."""
from extractors.periods.extract import (TimeExpression, article_date, document_year, find_time_expressions,
                                        period_bounds, resolve_day)

__all__ = ["TimeExpression", "article_date", "document_year", "resolve_day", "find_time_expressions", "period_bounds"]
