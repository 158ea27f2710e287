//! Generates a large docs tree in the github/docs layout, for benchmarks of
//! `docgate check` and `render --all` (and for trying docgate at scale).
//!
//! ```sh
//! cargo run --release --example gen_tree -- /tmp/big-tree 5000
//! cargo run --release -- --root /tmp/big-tree check
//! ```
//!
//! The tree is clean: every link, anchor, data reference and version gate is
//! valid, so a check does all of its work and reports nothing.

use std::fmt::Write as _;
use std::path::Path;

/// Writes `pages` pages (in sections of 50), 200 reusables, variables, features
/// and redirects under `root`.
pub fn generate(root: &Path, pages: usize) -> std::io::Result<()> {
    let w = |rel: &str, text: &str| -> std::io::Result<()> {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("a file has a parent"))?;
        std::fs::write(p, text)
    };
    w(
        "data/variables/product.yml",
        "prodname: 'Product'\nprodname_server: 'Product Server'\nlocation: >-\n  {% ifversion ghes %}your server{% else %}the cloud{% endif %}\n",
    )?;
    w("data/features/new-ui.yml", "versions:\n  ghec: '*'\n  ghes: '>=3.14'\n")?;
    w(
        "data/features/big-change.yml",
        "versions:\n  fpt: '*'\n  ghes: '>=3.18'\n",
    )?;
    for r in 0..200 {
        w(
            &format!("data/reusables/group{}/step-{r}.md", r % 10),
            &format!(
                "1. Open {{% data variables.product.prodname %}} step {r}.\n{{% ifversion new-ui %}}1. Use the new screen {r}.{{% else %}}1. Use the classic screen {r}.{{% endif %}}\n"
            ),
        )?;
    }
    let sections = pages.div_ceil(50);
    let mut index = String::from("---\ntitle: Home\nversions:\n  fpt: '*'\n  ghec: '*'\n  ghes: '>=3.10'\nchildren:\n");
    for s in 0..sections {
        let _ = writeln!(index, "  - /section-{s}");
        let mut children = String::new();
        for p in 0..50.min(pages - s * 50) {
            let _ = writeln!(children, "  - /page-{p}");
        }
        w(
            &format!("content/section-{s}/index.md"),
            &format!(
                "---\ntitle: Section {s}\nversions:\n  fpt: '*'\n  ghec: '*'\n  ghes: '>=3.10'\nchildren:\n{children}---\n"
            ),
        )?;
    }
    w("content/index.md", &format!("{index}---\n"))?;
    for n in 0..pages {
        let (s, p) = (n / 50, n % 50);
        let versions = match n % 3 {
            0 => "  fpt: '*'\n  ghec: '*'\n  ghes: '>=3.10'\n",
            1 => "  ghec: '*'\n  ghes: '>=3.10'\n",
            _ => "  fpt: '*'\n  ghes: '>=3.12'\n",
        };
        // Link to a page of the same shape, so it exists in the same versions.
        let target = (n + 3) % pages;
        let target = if target % 3 == n % 3 { target } else { n };
        let (ts, tp) = (target / 50, target % 50);
        let mut body = format!(
            "---\ntitle: Page {n} about {{% data variables.product.prodname %}}\nintro: 'How {{% data variables.product.prodname %}} handles case {n} on {{% data variables.product.location %}}.'\nversions:\n{versions}redirect_from:\n  - /old/section-{s}/page-{p}\n  - /legacy/p{n}\n---\n\n"
        );
        for h in 0..6 {
            let _ = write!(
                body,
                "## Topic {h} of page {n}\n\nText for topic {h} mentions {{% data variables.product.prodname_server %}} and stays short so the page reads like a real article, with a [link](/section-{ts}/page-{tp}#topic-{h}-of-page-{target}) and a [local one](#topic-0-of-page-{n}).\n\n{{% data reusables.group{}.step-{} %}}\n\n",
                (n + h) % 10,
                (n * 7 + h) % 200 / 10 * 10 + (n + h) % 10
            );
            if h == 3 {
                body.push_str(
                    "{% ifversion big-change %}\nThe big change applies here.\n{% elsif ghes %}\nServer releases before the change.\n{% endif %}\n\n",
                );
            }
        }
        w(&format!("content/section-{s}/page-{p}.md"), &body)?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(out), n) = (args.next(), args.next()) else {
        eprintln!("usage: gen_tree OUT_DIR [PAGES=5000]");
        std::process::exit(2);
    };
    let n: usize = n.as_deref().unwrap_or("5000").parse().unwrap_or_else(|_| {
        eprintln!("PAGES must be a number");
        std::process::exit(2);
    });
    if let Err(e) = generate(Path::new(&out), n) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
    eprintln!("wrote {n} pages into {out}");
}
