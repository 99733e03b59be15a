//! CPJ's CSV export of killed journalists (placeholder: the real importer is
//! built on branch exchange-b and replaces this file).

use super::Item;

/// Reads CPJ's export, handing each record to `sink`.
pub fn read(
    _input: impl std::io::Read,
    _sink: &mut dyn FnMut(Item) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    anyhow::bail!("the CPJ importer is not built yet")
}
