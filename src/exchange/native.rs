//! Native CSV (placeholder).
