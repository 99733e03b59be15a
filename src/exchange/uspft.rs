//! The U.S. Press Freedom Tracker export (placeholder: the real importer is
//! built on branch exchange-b and replaces this file).

use super::Item;

/// Reads the tracker's export, handing each record to `sink`.
pub fn read(
    _input: impl std::io::Read,
    _sink: &mut dyn FnMut(Item) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    anyhow::bail!("the USPFT importer is not built yet")
}
