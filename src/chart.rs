//! Charts for reports: the yearly series as stacked bars, written as SVG.
//!
//! Drawn with plotters' SVG backend and no font library: plotters writes
//! every label as an SVG `<text>` element (escaped) and only estimates its
//! width for layout, so the chart needs no font file, no system fonts and no
//! network when it is made; the program that shows it picks a sans-serif
//! font. (plotters' `ttf` feature would need system fonts through
//! font-kit, and `ab_glyph` a font file to embed, for no gain in an SVG.)
//!
//! What must stay true:
//! * colours come from the Okabe–Ito palette, which readers with any common
//!   colour-vision deficiency can tell apart; a colour is never used twice,
//!   so past `PALETTE.len()` series the smallest are folded into one
//!   "other" layer (named with how many were folded) rather than repeated;
//! * bar heights are proportional to the counts, the y axis starts at zero
//!   and its ticks are whole numbers;
//! * every series is named in the legend, every bar's total is written
//!   above it; every tick on the x axis is labelled (a one-year chart has
//!   none beside its bar);
//! * the title says what was counted and over which records (the filters).

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Okabe & Ito's colour-blind-safe palette ("Color Universal Design",
/// 2008), black left out: black bars would hide the axis and the totals.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
];

/// The colour of the folded "other" layer: a neutral grey, apart from the
/// palette in lightness.
const OTHER: RGBColor = RGBColor(0x99, 0x99, 0x99);

const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;
const FONT: &str = "sans-serif";
/// Room for a title of two lines.
const TITLE_HEIGHT: u32 = 64;

/// Writes the chart to `path` as SVG, through `output::OutputFile` (the
/// caller has checked the path with `output::check_output_path`).
pub fn write_svg(chart: &StackedBars, path: &Path) -> Result<()> {
    use std::io::Write as _;
    let write = || -> Result<()> {
        let svg = render(chart)?;
        let mut file = crate::output::OutputFile::create(path)?;
        file.write_all(svg.as_bytes())?;
        file.commit()
    };
    write().with_context(|| format!("failed to write chart '{}'", path.display()))
}

/// The chart as SVG text.
fn render(chart: &StackedBars) -> Result<String> {
    for (name, values) in &chart.series {
        if values.len() != chart.labels.len() {
            bail!(
                "chart series '{name}' has {} values for {} bars",
                values.len(),
                chart.labels.len()
            );
        }
    }
    let layers = fold(&chart.series);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let legend_width = legend_width(&layers);
        let (title, body) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&chart.title, &title)?;
        let (plot, legend) = body.split_horizontally(WIDTH - legend_width);
        draw_bars(chart, &layers, &plot)?;
        draw_legend(&layers, &legend)?;
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

/// One layer of the stack: its name, colour and values.
struct Layer {
    name: String,
    color: RGBColor,
    values: Vec<u64>,
}

/// The series as layers, each with its own colour. Past the palette's
/// size, the series with the smallest totals are summed into one layer.
fn fold(series: &[(String, Vec<u64>)]) -> Vec<Layer> {
    let total = |v: &Vec<u64>| v.iter().fold(0u64, |a, b| a.saturating_add(*b));
    let mut keep: Vec<usize> = (0..series.len()).collect();
    if series.len() > PALETTE.len() {
        // Keep the largest, in the caller's order; the rest become "other".
        keep.sort_by_key(|&i| std::cmp::Reverse(total(&series[i].1)));
        keep.truncate(PALETTE.len() - 1);
        keep.sort_unstable();
    }
    let mut layers: Vec<Layer> = keep
        .iter()
        .zip(PALETTE)
        .map(|(&i, color)| Layer {
            name: series[i].0.clone(),
            color,
            values: series[i].1.clone(),
        })
        .collect();
    let folded: Vec<usize> = (0..series.len()).filter(|i| !keep.contains(i)).collect();
    if !folded.is_empty() {
        let bars = series[0].1.len();
        let values = (0..bars)
            .map(|b| {
                folded
                    .iter()
                    .fold(0u64, |a, &i| a.saturating_add(series[i].1[b]))
            })
            .collect();
        layers.push(Layer {
            name: format!("other ({} series)", folded.len()),
            color: OTHER,
            values,
        });
    }
    layers
}

/// Each bar's total.
fn totals(layers: &[Layer], bars: usize) -> Vec<u64> {
    (0..bars)
        .map(|b| {
            layers
                .iter()
                .fold(0u64, |a, l| a.saturating_add(l.values[b]))
        })
        .collect()
}

/// The top of the y axis: a round number a little above the tallest bar,
/// leaving room for its total.
fn axis_top(max: u64) -> u64 {
    if max == 0 {
        return 1;
    }
    let wanted = max.saturating_add((max / 10).max(1));
    // Steps of 1, 2, 5, 10, 20, 50…: at most ten of them up the axis.
    let mut base = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = base.saturating_mul(m);
            if wanted.div_ceil(step) <= 10 {
                return wanted.div_ceil(step).saturating_mul(step);
            }
        }
        base = base.saturating_mul(10);
    }
}

fn draw_bars(
    chart: &StackedBars,
    layers: &[Layer],
    area: &DrawingArea<SVGBackend<'_>, Shift>,
) -> Result<()> {
    let bars = chart.labels.len();
    let totals = totals(layers, bars);
    let top = axis_top(totals.iter().copied().max().unwrap_or(0));
    // A segmented range 0..n has n + 1 segments (0 to n inclusive). One bar
    // alone goes in the middle of three segments: plotters cannot draw a
    // range of one value.
    let (shift, last) = match bars {
        0 | 1 => (1u32, 2u32),
        n => (0, n as u32 - 1),
    };
    let mut ctx = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(64)
        .build_cartesian_2d((0..last).into_segmented(), 0u64..top)
        .map_err(plot_error)?;
    let labels = &chart.labels;
    // Years need about 40 pixels each; with more bars than fit, plotters
    // labels every second (or third…) bar.
    let fit = ((WIDTH as usize - 200) / 40).max(1);
    let mut mesh = ctx.configure_mesh();
    if bars <= 1 {
        // One bar sits in the middle of three segments: the two beside it
        // are room, not years, and get no tick.
        mesh.set_tick_mark_size(LabelAreaPosition::Bottom, 0);
    }
    mesh.disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        // Never 0: plotters loops until it overflows when asked for none.
        .x_labels(bars.max(3).min(fit))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => i
                .checked_sub(shift)
                .and_then(|i| labels.get(i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .y_labels(11)
        .y_label_formatter(&|v| v.to_string())
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .draw()
        .map_err(plot_error)?;

    let slot = ctx.plotting_area().dim_in_pixel().0 / (last + 1);
    let gap = bar_gap(slot);
    let mut base = vec![0u64; bars];
    for layer in layers {
        let mut rects = Vec::new();
        for (b, &value) in layer.values.iter().enumerate() {
            if value == 0 {
                continue;
            }
            let x = b as u32 + shift;
            let (x0, x1) = (SegmentValue::Exact(x), SegmentValue::Exact(x + 1));
            let (y0, y1) = (base[b], base[b].saturating_add(value));
            base[b] = y1;
            let mut rect = Rectangle::new([(x0, y0), (x1, y1)], layer.color.filled());
            rect.set_margin(0, 0, gap, gap);
            rects.push(rect);
        }
        ctx.draw_series(rects).map_err(plot_error)?;
    }
    let style = TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    if bars <= fit * 2 {
        ctx.draw_series(
            totals
                .iter()
                .enumerate()
                .filter(|(_, &t)| t > 0)
                .map(|(b, &t)| {
                    EmptyElement::at((SegmentValue::CenterOf(b as u32 + shift), t))
                        + Text::new(t.to_string(), (0, -3), style.clone())
                }),
        )
        .map_err(plot_error)?;
    }
    if bars == 0 || totals.iter().all(|&t| t == 0) {
        let (w, h) = area.dim_in_pixel();
        area.draw(&Text::new(
            "no data",
            (w as i32 / 2, h as i32 / 2),
            TextStyle::from((FONT, 18).into_font()).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(plot_error)?;
    }
    Ok(())
}

/// The title across the whole width: in 24-pixel type when it fits, else
/// smaller, and on two lines when even 15-pixel type would not fit on one.
fn draw_title(title: &str, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    // Sans-serif letters average a little over half the type size in width.
    let width_at = |size: f64, text: &str| text.chars().count() as f64 * size * 0.5;
    let room = f64::from(WIDTH) - 40.0;
    let mut size = 24.0;
    while size > 15.0 && width_at(size, title) > room {
        size -= 1.0;
    }
    let lines: Vec<String> = if width_at(size, title) <= room {
        vec![title.to_string()]
    } else {
        split_in_two(title)
    };
    let style = TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
    let line_height = (size * 1.25) as i32;
    let top = TITLE_HEIGHT as i32 / 2 - line_height * (lines.len() as i32 - 1) / 2;
    for (i, line) in lines.iter().enumerate() {
        let y = top + line_height * i as i32;
        area.draw(&Text::new(
            line.as_str(),
            (WIDTH as i32 / 2, y),
            style.clone(),
        ))
        .map_err(plot_error)?;
    }
    Ok(())
}

/// A long title cut at the space nearest its middle.
fn split_in_two(title: &str) -> Vec<String> {
    let middle = title.chars().count() / 2;
    let cut = title
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .min_by_key(|i| title[..*i].chars().count().abs_diff(middle));
    match cut {
        Some(i) => vec![title[..i].to_string(), title[i + 1..].to_string()],
        None => vec![title.to_string()],
    }
}

/// The space between bars, in pixels on each side of a bar's slot: a
/// sixth of it, more when bars are few so that none is wider than 90 pixels.
fn bar_gap(slot: u32) -> u32 {
    (slot / 6).max(slot.saturating_sub(90) / 2).max(1)
}

fn legend_width(layers: &[Layer]) -> u32 {
    let longest = layers
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0) as u32;
    (longest * 8 + 48).clamp(120, 320)
}

/// The legend, top to bottom in the order the layers are stacked from the
/// top, so it reads like the bars.
fn draw_legend(layers: &[Layer], area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    let style = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (row, layer) in layers.iter().rev().enumerate() {
        let y = 24 + 24 * row as i32;
        area.draw(&Rectangle::new(
            [(4, y - 7), (18, y + 7)],
            layer.color.filled(),
        ))
        .map_err(plot_error)?;
        area.draw(&Text::new(layer.name.as_str(), (26, y), style.clone()))
            .map_err(plot_error)?;
    }
    Ok(())
}

fn plot_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("failed to draw the chart: {e:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(labels: &[&str], series: &[(&str, &[u64])]) -> StackedBars {
        StackedBars {
            title: "Journalists and media workers attacked, by act".into(),
            x_label: "year".into(),
            y_label: "victims".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            series: series
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_vec()))
                .collect(),
        }
    }

    /// Every text element's content.
    fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    /// The summed height of the bars drawn in `colors`, by x position.
    fn bar_heights(doc: &roxmltree::Document<'_>, colors: &[RGBColor]) -> Vec<(i64, i64)> {
        let hex: Vec<String> = colors
            .iter()
            .map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2))
            .collect();
        let mut by_x: std::collections::BTreeMap<i64, i64> = Default::default();
        for n in doc.descendants().filter(|n| n.has_tag_name("rect")) {
            let fill = n.attribute("fill").unwrap_or("").to_uppercase();
            if !hex.contains(&fill) {
                continue;
            }
            let num = |a: &str| n.attribute(a).unwrap().parse::<i64>().unwrap();
            // Legend swatches are 14 pixels wide; bars are wider.
            if num("width") <= 14 {
                continue;
            }
            *by_x.entry(num("x")).or_default() += num("height");
        }
        by_x.into_iter().collect()
    }

    #[test]
    fn the_svg_is_well_formed_and_names_everything() {
        let c = chart(
            &["2019", "2020", "2021"],
            &[("killed", &[2, 4, 6]), ("kidnapped", &[1, 0, 3])],
        );
        let svg = render(&c).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts = texts(&doc);
        for wanted in [
            "Journalists and media workers attacked, by act",
            "year",
            "victims",
            "killed",
            "kidnapped",
            "2019",
            "2020",
            "2021",
            "3",
            "4",
            "9",
        ] {
            assert!(
                texts.iter().any(|t| t == wanted),
                "{wanted} not in {texts:?}"
            );
        }
    }

    #[test]
    fn bar_heights_are_proportional_to_the_totals() {
        let c = chart(
            &["2019", "2020", "2021"],
            &[("killed", &[2, 4, 6]), ("kidnapped", &[2, 0, 6])],
        );
        let svg = render(&c).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let heights = bar_heights(&doc, &PALETTE[..2]);
        assert_eq!(heights.len(), 3, "{heights:?}");
        let (h1, h2, h3) = (heights[0].1, heights[1].1, heights[2].1);
        // Totals 4, 4, 12; plotters rounds each layer to a pixel.
        assert!((h1 - h2).abs() <= 1, "{heights:?}");
        assert!((h3 - 3 * h1).abs() <= 3, "{heights:?}");
        // And one layer alone: killed 2 : 4 : 6.
        let killed = bar_heights(&doc, &PALETTE[..1]);
        assert!((killed[1].1 - 2 * killed[0].1).abs() <= 1, "{killed:?}");
        assert!((killed[2].1 - 3 * killed[0].1).abs() <= 1, "{killed:?}");
    }

    /// The x axis's tick marks: short vertical lines.
    fn x_ticks(doc: &roxmltree::Document<'_>) -> usize {
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .filter(|n| {
                let p: Vec<i64> = n
                    .attribute("points")
                    .unwrap_or("")
                    .split([' ', ','])
                    .filter_map(|v| v.parse().ok())
                    .collect();
                p.len() == 4 && p[0] == p[2] && (p[3] - p[1]).abs() <= 10
            })
            .count()
    }

    /// A one-year chart has its year under its bar and no tick without a
    /// label beside it; a longer one a labelled tick per year.
    #[test]
    fn every_x_tick_is_labelled() {
        for years in [&["2021"][..], &["2019", "2020", "2021"][..]] {
            let values = vec![3u64; years.len()];
            let c = chart(years, &[("killed", &values)]);
            let svg = render(&c).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let labels = texts(&doc)
                .iter()
                .filter(|t| years.contains(&t.as_str()))
                .count();
            assert_eq!(labels, years.len(), "{years:?}");
            let expected = if years.len() == 1 { 0 } else { years.len() };
            assert_eq!(x_ticks(&doc), expected, "{years:?}");
        }
    }

    #[test]
    fn y_ticks_are_whole_numbers_from_zero() {
        let c = chart(&["2020", "2021"], &[("killed", &[1, 3])]);
        let svg = render(&c).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let ticks: Vec<String> = texts(&doc)
            .into_iter()
            .filter(|t| t.parse::<f64>().is_ok() && t.len() < 4 && !t.starts_with("20"))
            .collect();
        assert!(ticks.contains(&"0".to_string()), "{ticks:?}");
        for t in &ticks {
            assert!(t.parse::<u64>().is_ok(), "tick {t} is not a whole number");
        }
    }

    #[test]
    fn more_series_than_colours_are_folded_not_repeated() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let values: Vec<Vec<u64>> = (0..10u64).map(|i| vec![10 - i]).collect();
        let series: Vec<(&str, &[u64])> = names
            .iter()
            .zip(&values)
            .map(|(n, v)| (*n, v.as_slice()))
            .collect();
        let layers = fold(&chart(&["2021"], &series).series);
        let legend: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(legend, ["a", "b", "c", "d", "e", "f", "other (4 series)"]);
        assert_eq!(layers[6].values, vec![4 + 3 + 2 + 1]);
        let mut colors: Vec<RGBColor> = layers.iter().map(|l| l.color).collect();
        colors.dedup();
        assert_eq!(colors.len(), 7);
    }

    #[test]
    fn text_from_the_registry_is_escaped() {
        let mut c = chart(&["2021"], &[("<script>&", &[1])]);
        c.title = "Attacks <b>& more</b>".into();
        let svg = render(&c).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts = texts(&doc);
        assert!(texts.contains(&"Attacks <b>& more</b>".to_string()));
        assert!(texts.contains(&"<script>&".to_string()));
    }

    #[test]
    fn a_title_too_long_for_one_line_takes_two() {
        let mut c = chart(&["2021"], &[("killed", &[1])]);
        c.title = "Victims by act type in Afghanistan, Pakistan, Iraq and Syria, \
                   2001 to 2021, by the rules of the victims profile, \
                   as the registry stood on 30 June 2021"
            .into();
        let svg = render(&c).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts = texts(&doc);
        assert_eq!(
            format!("{} {}", texts[0], texts[1]),
            c.title,
            "the title is the first two texts"
        );
    }

    #[test]
    fn an_empty_chart_says_so() {
        let svg = render(&chart(&[], &[])).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(texts(&doc).contains(&"no data".to_string()));
    }

    #[test]
    fn a_series_of_the_wrong_length_is_refused() {
        let err = render(&chart(&["2020", "2021"], &[("killed", &[1])])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "chart series 'killed' has 1 values for 2 bars"
        );
    }

    #[test]
    fn write_svg_names_a_path_it_cannot_write() {
        let c = chart(&["2021"], &[("killed", &[1])]);
        let err = write_svg(&c, Path::new("/nonexistent/dir/chart.svg")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to write chart '/nonexistent/dir/chart.svg'"
        );
    }
}
