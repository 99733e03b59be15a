//! Charts for reports: the yearly series as stacked bars, written as SVG.

use std::path::Path;

use anyhow::{bail, Result};

/// A stacked bar chart: one bar per label on the x axis, one coloured
/// layer per series.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedBars {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The bars, left to right (years).
    pub labels: Vec<String>,
    /// Each series' name and its value for every label.
    pub series: Vec<(String, Vec<u64>)>,
}

/// Writes the chart to `path` as SVG.
pub fn write_svg(_chart: &StackedBars, _path: &Path) -> Result<()> {
    bail!("--chart is not built yet")
}
