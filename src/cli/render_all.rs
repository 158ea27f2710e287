//! `docgate render --all`: the static build ([`crate::site::build`]), with a
//! summary of speed and errors.

use std::path::Path;

use crate::error::Error;
use crate::languages::Lang;
use crate::render::Renderer;
use crate::render::output::Format;
use crate::versions::VersionSelection;

pub fn run(
    renderer: Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    format: Format,
    out: &Path,
    jobs: Option<usize>,
    trust_html: bool,
) -> Result<i32, Error> {
    renderer.set_trust_html(trust_html);
    let r = crate::site::build(renderer, selection, langs, format, out, jobs)?;
    let (tail, code) = super::report_errors(&r.errors);
    let secs = r.elapsed.as_secs_f64();
    eprintln!(
        "rendered {} page versions ({} pages × {} versions{}) into {} in {secs:.2}s ({:.0} pages/s){}",
        r.written,
        r.pages,
        r.versions,
        if r.languages > 1 {
            format!(" × {} languages", r.languages)
        } else {
            String::new()
        },
        out.display(),
        r.written as f64 / secs.max(1e-9),
        tail
    );
    Ok(code)
}
