"""Report outlines (đề cương báo cáo) as data: the spec, the units' filed reports, the
compilation up the hierarchy. See docs/reports.md, "Outlines"."""
