"""baocao: periodic administrative-reform reports (báo cáo CCHC định kỳ) from Excel workbooks."""

__version__ = "0.1.0"
