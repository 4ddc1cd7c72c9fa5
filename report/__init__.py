"""report: policy briefs whose every quotation is verified against its source."""

__version__ = "0.1.0"
