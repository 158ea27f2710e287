//! Time against input size for whitespace-heavy pages (issue: Liquid parsing
//! was quadratic in the length of whitespace runs).
//!
//! `cargo bench --bench whitespace` renders three kinds of page at 10 KB,
//! 100 KB, 1 MB and 10 MB, Liquid and HTML, in process, and prints the time per
//! MB of each. Cost must be linear: for each kind, the largest time per MB is
//! within 2× the smallest. The program exits 1 when it is not.
//!
//! - `newlines`: a tag followed by one run of newlines;
//! - `raw-spaces`: `{% raw %}` around lines made of one run of spaces each;
//! - `padded-table`: a Markdown table with padded cells and a few tags per row,
//!   like today's 420 KB table of AI models.

use std::time::{Duration, Instant};

use docgate::corpus::{Corpus, Source};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::versions::Version;

const SIZES: [usize; 4] = [10 << 10, 100 << 10, 1 << 20, 10 << 20];

fn page(kind: &str, size: usize) -> String {
    let mut body = String::with_capacity(size + 200);
    match kind {
        "newlines" => {
            body.push_str("{% data variables.product.name %}");
            body.push_str(&"\n".repeat(size));
            body.push_str("end\n");
        }
        "raw-spaces" => {
            // Lines of 16,000 spaces (shorter for the small sizes).
            let line = (size / 6).clamp(1, 16_000);
            body.push_str("{% raw %}\n");
            while body.len() < size {
                body.push_str(&" ".repeat(line));
                body.push_str("x\n");
            }
            body.push_str("{% endraw %}\n");
        }
        "padded-table" => {
            body.push_str("| Model | Provider | Context | {% data variables.product.name %} |\n");
            body.push_str("| ----- | -------- | ------- | ---- |\n");
            let mut i = 0;
            while body.len() < size {
                body.push_str(&format!(
                    "| model-{i:<40} | provider{:<30} | {:>12} | {{% ifversion fpt %}}yes{{% else %}}no{{% endif %}}{:<30} |\n",
                    "", i * 1024, ""
                ));
                i += 1;
            }
        }
        _ => unreachable!(),
    }
    format!("---\ntitle: Bench\nversions:\n  fpt: '*'\n---\n{body}")
}

/// The best of a few runs of a full render (Liquid, then HTML) from a cold cache.
fn time(kind: &str, size: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::create_dir_all(dir.path().join("data/variables")).unwrap();
    std::fs::write(dir.path().join("content/page.md"), page(kind, size)).unwrap();
    std::fs::write(dir.path().join("data/variables/product.yml"), "name: Product\n").unwrap();
    let today = "2026-12-01".parse().unwrap();
    let runs = if size >= 10 << 20 { 2 } else { 5 };
    (0..runs)
        .map(|_| {
            let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), today).unwrap();
            let renderer = Renderer::new(corpus.clone()).unwrap();
            let page = corpus.find_page("page").unwrap().page;
            let t0 = Instant::now();
            let r = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap();
            let html = renderer.body_html(&r).unwrap();
            std::hint::black_box(html.html.len());
            t0.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    // `cargo test` runs benches with `--bench`-less arguments: do nothing then.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let mut linear = true;
    println!("{:<13} {:>9} {:>10} {:>10}", "page", "size", "seconds", "s per MB");
    for kind in ["newlines", "raw-spaces", "padded-table"] {
        let mut per_mb = Vec::new();
        for size in SIZES {
            let t = time(kind, size).as_secs_f64();
            let mb = size as f64 / (1 << 20) as f64;
            per_mb.push(t / mb);
            println!(
                "{kind:<13} {:>9} {t:>10.4} {:>10.4}",
                docgate::files::human_size(size as u64),
                t / mb
            );
        }
        let max = per_mb.iter().copied().fold(0.0, f64::max);
        let min = per_mb.iter().copied().fold(f64::INFINITY, f64::min);
        let ratio = max / min;
        println!("{kind:<13} largest / smallest time per MB: {ratio:.2} (must be ≤ 2)");
        linear &= ratio <= 2.0;
    }
    if !linear {
        eprintln!("error: time per MB is not constant within 2×");
        std::process::exit(1);
    }
}
