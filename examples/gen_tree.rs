//! Generates a docs tree in the github/docs layout at GitHub-Docs scale, for
//! benchmarks (`bench/run`, `cargo bench --bench check`) and for trying
//! docgate on a real-size tree.
//!
//! ```sh
//! cargo run --release --example gen_tree -- /tmp/big-tree            # 6,000 pages, 9 languages
//! cargo run --release --example gen_tree -- /tmp/big-tree 1000 --seed 7 --langs en,ko
//! cargo run --release --example gen_tree -- --stats ../shared/corpus/github-docs-2026
//! ```
//!
//! The tree is deterministic (the same seed gives the same bytes) and clean:
//! every link, anchor, data reference and version gate is valid, so `docgate
//! check` does all of its work and reports nothing, and every page renders.
//! Its shapes follow the real corpus: products, categories and articles with
//! `index.md` and `children:`; ~5,000 reusables for 6,000 pages (some nested
//! three deep, some steps in ordered lists, some inside alerts); variables;
//! ~700 feature files; `ifversion` with elsif/else, and/or/not, features and
//! whitespace control; tables with `rowheaders`; alerts; code blocks; tool
//! tags; octicons; `[AUTOTITLE]` links with anchors; `redirect_from`; and a
//! translation of every page and reusable for 8 languages in which a few
//! percent of the tags carry the corruption translators introduce (the kind
//! docgate's repair table mends). `--stats` prints the statistics of any tree,
//! to compare the generated one with `../shared/corpus/`.

use std::fmt::Write as _;
use std::path::Path;

/// Articles per category.
const PER_CATEGORY: usize = 40;
/// Top-level product folders.
const PRODUCTS: usize = 12;
/// Folders the reusables are spread over.
const REUSABLE_GROUPS: usize = 100;
/// Product names in `data/variables/product.yml`.
const PRODNAMES: usize = 60;

/// The translated languages: folder, the ending their "translation" gives
/// every word of prose (so it no longer reads as English), and the corrupted
/// `{% data variables.` their translators sometimes write (each one is in
/// docgate's repair table).
const TRANSLATIONS: [(&str, &str, &str); 8] = [
    ("es-es", "o", "{% datos variables."),
    ("ja-jp", "ni", "{% データ variables."),
    ("pt-br", "ao", "{% variáveis de dados."),
    ("zh-cn", "zi", "{% 数据变量."),
    ("ru-ru", "ov", "{% переменных данных."),
    ("fr-fr", "e", "{% données variables."),
    ("ko-kr", "eul", "{% 데이터 variables."),
    ("de-de", "en", "{% Daten variables."),
];

/// What to generate.
#[derive(Clone, Debug)]
pub struct Params {
    /// Articles (index pages come on top: one per category and product, and the home page).
    pub pages: usize,
    /// The seed of every choice.
    pub seed: u64,
    /// Translated languages (folders such as `ko-kr`), at most the 8 of [`TRANSLATIONS`].
    pub translations: Vec<&'static str>,
}

impl Params {
    /// `pages` articles, seed 1, every translation.
    pub fn new(pages: usize) -> Params {
        Params {
            pages,
            seed: 1,
            translations: TRANSLATIONS.iter().map(|t| t.0).collect(),
        }
    }
}

/// A small deterministic generator (SplitMix64): the tree depends on the seed
/// only, not on a crate's version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: [&str; 48] = [
    "repository",
    "workflow",
    "enterprise",
    "policy",
    "token",
    "runner",
    "license",
    "member",
    "team",
    "setting",
    "branch",
    "review",
    "secret",
    "package",
    "webhook",
    "audit",
    "billing",
    "profile",
    "account",
    "instance",
    "appliance",
    "cluster",
    "backup",
    "replica",
    "certificate",
    "domain",
    "organization",
    "permission",
    "role",
    "invitation",
    "alert",
    "scan",
    "dependency",
    "release",
    "issue",
    "project",
    "discussion",
    "label",
    "milestone",
    "commit",
    "tag",
    "fork",
    "mirror",
    "archive",
    "export",
    "import",
    "migration",
    "storage",
];

/// A sentence of `n` words.
fn prose(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            let first = c.next().expect("words are not empty");
            s.extend(first.to_uppercase());
            s.push_str(c.as_str());
        } else {
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// The layout of the tree, computed from the number of articles.
struct Layout {
    pages: usize,
    reusables: usize,
    features: usize,
}

impl Layout {
    fn new(pages: usize) -> Layout {
        Layout {
            pages,
            reusables: (pages * 5 / 6).max(10),
            features: (pages * 7 / 60).max(4),
        }
    }
    fn categories(&self) -> usize {
        self.pages.div_ceil(PER_CATEGORY).max(1)
    }
    fn category_of(&self, article: usize) -> usize {
        article / PER_CATEGORY
    }
    fn product_of(&self, category: usize) -> usize {
        category % PRODUCTS
    }
    /// The content path of an article, without `content/` and `.md`.
    fn article(&self, a: usize) -> String {
        let c = self.category_of(a);
        format!("prod-{}/cat-{c}/art-{a}", self.product_of(c))
    }
    /// Articles come in four version shapes; links stay within a shape, so
    /// every link resolves in every version of its page.
    fn link_target(&self, a: usize, k: usize) -> usize {
        let t = a + 4 * k;
        if t < self.pages { t } else { a % 4 }
    }
    /// A reusable's file, under `data/reusables/` without `.md`.
    fn reusable(&self, r: usize) -> String {
        format!("group-{}/reusable-{r}", r % REUSABLE_GROUPS)
    }
    /// A reusable's name in `{% data reusables.… %}`.
    fn reusable_ref(&self, r: usize) -> String {
        self.reusable(r).replace('/', ".")
    }
}

/// The `versions:` of each article shape.
fn article_versions(a: usize) -> &'static str {
    match a % 4 {
        0 | 1 => "  fpt: '*'\n  ghec: '*'\n  ghes: '*'\n",
        2 => "  ghec: '*'\n  ghes: '>3.19'\n",
        _ => "  fpt: '*'\n  ghes: '*'\n",
    }
}

const ALL_VERSIONS: &str = "  fpt: '*'\n  ghec: '*'\n  ghes: '*'\n";

/// The heading of section `h` of article `a`, and its anchor.
fn heading(a: usize, h: usize) -> (String, String) {
    (
        format!("Configuring part {h} of topic {a}"),
        format!("configuring-part-{h}-of-topic-{a}"),
    )
}

/// Writes the tree for `pages` articles with the default seed and every
/// translation (the API the benchmarks use).
pub fn generate(root: &Path, pages: usize) -> std::io::Result<Stats> {
    generate_with(root, &Params::new(pages))
}

/// Writes the tree described by `params` under `root`.
pub fn generate_with(root: &Path, params: &Params) -> std::io::Result<Stats> {
    let layout = Layout::new(params.pages);
    let mut rng = Rng(params.seed);
    let mut files: Vec<(String, String)> = Vec::new();

    // Variables: product names (some with Liquid of their own), and a few more files.
    let mut product = String::new();
    for i in 0..PRODNAMES {
        let _ = writeln!(product, "prodname_{i}: 'Product {i}'");
    }
    product
        .push_str("prodname_ghe_server: 'GitHub Enterprise Server'\nprodname_ghe_cloud: 'GitHub Enterprise Cloud'\n");
    product.push_str("prodname_enterprise: >-\n  {% ifversion ghes %}GitHub Enterprise Server{% else %}GitHub Enterprise Cloud{% endif %}\n");
    files.push(("data/variables/product.yml".into(), product));
    files.push((
        "data/variables/enterprise.yml".into(),
        "management_console: 'Management Console'\nsite_admin: 'site administrator'\n".into(),
    ));

    // Features: each one on from a GHES release (and on fpt/ghec).
    for f in 0..layout.features {
        let text = match f % 3 {
            // The ones pages gate on: true and false somewhere in every page shape.
            0 => format!(
                "# Feature {f}\nversions:\n  fpt: '*'\n  ghec: '*'\n  ghes: '>=3.{}'\n",
                21 + f / 3 % 3
            ),
            1 => format!("# Feature {f}\nversions:\n  ghec: '*'\n  ghes: '>3.{}'\n", 18 + f % 4),
            _ => format!("# Feature {f}\nversions:\n  fpt: '*'\n"),
        };
        files.push((format!("data/features/feature-{f}.yml"), text));
    }

    // Reusables. Kinds by number: steps for ordered lists, alert bodies,
    // paragraphs with version gates; reusables 1-3 of every 50 include the one
    // before them, so 3 of every 50 nest up to three deep.
    let features = layout.features;
    let gate_feature = |rng: &mut Rng| -> usize { rng.below(features.div_ceil(3)) * 3 };
    let mut reusables = Vec::with_capacity(layout.reusables);
    for r in 0..layout.reusables {
        let v = rng.below(PRODNAMES);
        let text = match r % 50 {
            1..=3 => format!(
                "{} Use {{% data variables.product.prodname_{v} %}}.\n\n{{% data reusables.{} %}}\n",
                prose(&mut rng, 8),
                layout.reusable_ref(r - 1)
            ),
            n if n % 4 == 0 => format!(
                "1. In {{% data variables.product.prodname_{v} %}}, open the settings of the {}.\n1. {}{{% ifversion feature-{} %}} Select **New view**.{{% endif %}}\n",
                WORDS[r % WORDS.len()],
                prose(&mut rng, 7),
                gate_feature(&mut rng)
            ),
            n if n % 4 == 1 => format!(
                "{} Only {{% data variables.enterprise.site_admin %}}s can change it.\n",
                prose(&mut rng, 10)
            ),
            _ => format!(
                "{}{{% ifversion ghes %}} On {{% data variables.product.prodname_ghe_server %}}, {}{{% elsif ghec %}} {}{{% endif %}}\n",
                prose(&mut rng, 12),
                prose(&mut rng, 6).to_lowercase(),
                prose(&mut rng, 5)
            ),
        };
        reusables.push(text);
    }
    for (r, text) in reusables.iter().enumerate() {
        files.push((format!("data/reusables/{}.md", layout.reusable(r)), text.clone()));
    }
    // A steps reusable: `r % 50` a multiple of 4, not 0 (reusable 0 nests under 1).
    let step_reusable = |rng: &mut Rng| -> usize {
        let r = rng.below(layout.reusables.div_ceil(50)) * 50 + 4 * (1 + rng.below(12));
        if r < layout.reusables { r } else { 4 }
    };
    let alert_reusable = |rng: &mut Rng| -> usize {
        let r = rng.below(layout.reusables);
        if r % 50 > 3 && (r % 50) % 4 == 1 { r } else { 5 }
    };

    // Index pages: home, products, categories.
    let cats = layout.categories();
    let mut home =
        format!("---\ntitle: Documentation\nintro: 'Help for every product.'\nversions:\n{ALL_VERSIONS}children:\n");
    for p in 0..PRODUCTS.min(cats) {
        let _ = writeln!(home, "  - /prod-{p}");
        let mut children = String::new();
        for c in (p..cats).step_by(PRODUCTS) {
            let _ = writeln!(children, "  - /cat-{c}");
            let mut arts = String::new();
            for a in c * PER_CATEGORY..((c + 1) * PER_CATEGORY).min(layout.pages) {
                let _ = writeln!(arts, "  - /art-{a}");
            }
            files.push((
                format!("content/prod-{p}/cat-{c}/index.md"),
                format!(
                    "---\ntitle: Category {c} of {{% data variables.product.prodname_{p} %}}\nintro: '{}'\nversions:\n{ALL_VERSIONS}children:\n{arts}---\n",
                    prose(&mut rng, 9)
                ),
            ));
        }
        files.push((
            format!("content/prod-{p}/index.md"),
            format!(
                "---\ntitle: '{{% data variables.product.prodname_{p} %}} documentation'\nshortTitle: Product {p}\nintro: '{}'\nversions:\n{ALL_VERSIONS}redirect_from:\n  - /old-product-{p}\nchildren:\n{children}---\n",
                prose(&mut rng, 10)
            ),
        ));
    }
    files.push(("content/index.md".into(), format!("{home}---\n")));

    // Articles.
    let mut articles = Vec::with_capacity(layout.pages);
    for a in 0..layout.pages {
        let mut body = String::new();
        let v = a % PRODNAMES;
        let _ = write!(
            body,
            "---\ntitle: Managing topic {a} in {{% data variables.product.prodname_{v} %}}\nshortTitle: Topic {a}\nintro: '{} It applies to {{% data variables.product.prodname_enterprise %}}.'\nversions:\n{}",
            prose(&mut rng, 10),
            article_versions(a)
        );
        if a % 5 != 4 {
            let c = layout.category_of(a);
            let _ = write!(body, "redirect_from:\n  - /old/cat-{c}/topic-{a}\n  - /legacy/t{a}\n");
        }
        body.push_str("---\n\n");
        let _ = write!(
            body,
            "{} {{% data variables.product.prodname_{v} %}} keeps it for you.\n\n",
            prose(&mut rng, 14)
        );
        let sections = 4 + rng.below(4);
        for h in 0..sections {
            let (title, _) = heading(a, h);
            let _ = write!(body, "## {title}\n\n{}\n\n", prose(&mut rng, 25));
            if h == 0 && a % 3 == 0 {
                // A reusable that nests three deep.
                let nested = rng.below((layout.reusables / 50).max(1)) * 50 + 3;
                if nested < layout.reusables {
                    let _ = write!(body, "{{% data reusables.{} %}}\n\n", layout.reusable_ref(nested));
                }
            }
            let t = layout.link_target(a, 1 + h);
            let (_, anchor) = heading(t, h.min(3));
            let _ = write!(
                body,
                "For more information, see [AUTOTITLE](/{}#{anchor}) and [the overview](/{}).\n\n",
                layout.article(t),
                layout.article(layout.link_target(a, 2 + h))
            );
            // Steps: reusables as list items between the page's own.
            let _ = write!(
                body,
                "1. {}\n{{% data reusables.{} %}}\n1. {}\n\n",
                prose(&mut rng, 6),
                layout.reusable_ref(step_reusable(&mut rng)),
                prose(&mut rng, 5)
            );
            match (a + h) % 6 {
                0 => {
                    let _ = write!(
                        body,
                        "{{% ifversion fpt or ghec %}}\n\n{}\n\n{{% elsif ghes > 3.20 %}}\n\n{}\n\n{{% else %}}\n\n{}\n\n{{% endif %}}\n\n",
                        prose(&mut rng, 15),
                        prose(&mut rng, 15),
                        prose(&mut rng, 15)
                    );
                }
                1 => {
                    let _ = write!(
                        body,
                        "{{% rowheaders %}}\n\n| Setting | {{% data variables.product.prodname_ghe_cloud %}} | {{% data variables.product.prodname_ghe_server %}} |\n| --- | --- | --- |\n| {} | Yes | {{% ifversion ghes > 3.20 %}}Yes{{% else %}}No{{% endif %}} |\n| {} | Yes | Yes |\n| {} | No | Yes |\n\n{{% endrowheaders %}}\n\n",
                        WORDS[a % WORDS.len()],
                        WORDS[(a + h) % WORDS.len()],
                        WORDS[(a + 2 * h) % WORDS.len()]
                    );
                }
                2 => {
                    let kind = ["NOTE", "TIP", "WARNING", "IMPORTANT"][h % 4];
                    let _ = write!(
                        body,
                        "> [!{kind}]\n> {{% data reusables.{} %}}\n\n",
                        layout.reusable_ref(alert_reusable(&mut rng))
                    );
                }
                3 => {
                    let _ = write!(
                        body,
                        "```shell\n$ gh api /repos/octo-org/repo-{a}/{}\n$ ghe-config app.feature-{h}.enabled true\n```\n\n```yaml\nname: Topic {a}\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n```\n\n",
                        WORDS[a % WORDS.len()]
                    );
                }
                4 => {
                    let _ = write!(
                        body,
                        "{{%- ifversion ghes and ghes < 3.22 %}}\n{}\n{{%- endif %}}\n\n{{% ifversion not {} %}}{} {{% octicon \"gear\" aria-label=\"Settings\" %}}{{% endif %}}\n\n",
                        prose(&mut rng, 12),
                        if a % 4 == 2 { "ghec" } else { "fpt" },
                        prose(&mut rng, 8)
                    );
                }
                _ => {
                    let _ = write!(
                        body,
                        "{{% webui %}}\n\n{}\n\n{{% endwebui %}}\n\n{{% cli %}}\n\n{}\n\n{{% endcli %}}\n\n{{% ifversion feature-{} %}}{} {{% endif %}}The setting is on by default.\n\n",
                        prose(&mut rng, 10),
                        prose(&mut rng, 10),
                        gate_feature(&mut rng),
                        prose(&mut rng, 6)
                    );
                }
            }
        }
        articles.push(body);
    }
    for (a, text) in articles.iter().enumerate() {
        files.push((format!("content/{}.md", layout.article(a)), text.clone()));
    }

    // Translations: every article and reusable, words given a foreign ending, a few percent
    // of the data tags corrupted the way translators do.
    for (folder, ending, bad) in TRANSLATIONS.iter().filter(|t| params.translations.contains(&t.0)) {
        for (a, text) in articles.iter().enumerate() {
            files.push((
                format!("translations/{folder}/content/{}.md", layout.article(a)),
                translate(text, ending, bad, &mut rng),
            ));
        }
        for (r, text) in reusables.iter().enumerate() {
            files.push((
                format!("translations/{folder}/data/reusables/{}.md", layout.reusable(r)),
                translate(text, ending, bad, &mut rng),
            ));
        }
    }

    let mut made = std::collections::HashSet::new();
    for (rel, text) in &files {
        let p = root.join(rel);
        let parent = p.parent().expect("a file has a parent");
        if made.insert(parent.to_path_buf()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    Ok(Stats::of_files(files.iter().map(|(r, t)| (r.as_str(), t.as_str()))))
}

/// A translation of `text`: every word of the title and of prose lines gets
/// the language's `ending` (headings stay English, so anchors match; tags, link
/// targets and code are left alone), and about 3% of the `{% data variables.`
/// tags are written as `bad`.
fn translate(text: &str, ending: &str, bad: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut in_code = false;
    let mut frontmatter = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            frontmatter += 1;
        }
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let line = if let Some(rest) = line.strip_prefix("title: ") {
            format!("title: {}", foreign(rest, ending))
        } else if frontmatter != 1
            && !in_code
            && (line.starts_with(|c: char| c.is_ascii_uppercase()) || line.starts_with("1. "))
        {
            foreign(line, ending)
        } else {
            line.to_string()
        };
        let mut rest = line.as_str();
        while let Some(i) = rest.find("{% data variables.") {
            out.push_str(&rest[..i]);
            out.push_str(if rng.chance(3) { bad } else { "{% data variables." });
            rest = &rest[i + "{% data variables.".len()..];
        }
        out.push_str(rest);
    }
    out
}

/// `line` with `ending` after every word outside Liquid tags, link targets and
/// `[AUTOTITLE]`.
fn foreign(line: &str, ending: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 3);
    let mut rest = line;
    while !rest.is_empty() {
        let skip = ["{%", "](", "[AUTOTITLE]"]
            .iter()
            .find(|p| rest.starts_with(**p))
            .map(|p| match *p {
                "{%" => rest.find("%}").map_or(rest.len(), |i| i + 2),
                "](" => rest.find(')').map_or(rest.len(), |i| i + 1),
                _ if rest[p.len()..].starts_with('(') => rest.find(')').map_or(rest.len(), |i| i + 1),
                _ => p.len(),
            });
        if let Some(n) = skip {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        let word = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        if word > 0 {
            out.push_str(&rest[..word]);
            out.push_str(ending);
            rest = &rest[word..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The size of a tree: what `--stats` prints.
#[derive(Debug, Default)]
pub struct Stats {
    pub pages: usize,
    pub page_bytes: usize,
    pub reusables: usize,
    pub features: usize,
    pub variable_files: usize,
    pub translated_files: usize,
    pub data_tags: usize,
    pub ifversion_tags: usize,
    pub other_tags: usize,
    pub autotitle_links: usize,
}

impl Stats {
    fn of_files<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Stats {
        let mut s = Stats::default();
        for (rel, text) in files {
            if rel.starts_with("translations/") {
                s.translated_files += 1;
                continue;
            }
            if rel.starts_with("data/reusables/") {
                s.reusables += 1;
            } else if rel.starts_with("data/features/") {
                s.features += 1;
            } else if rel.starts_with("data/variables/") {
                s.variable_files += 1;
            } else if rel.starts_with("content/") && rel.ends_with(".md") {
                s.pages += 1;
                s.page_bytes += text.len();
                s.autotitle_links += text.matches("[AUTOTITLE]").count();
                for tag in text.split("{%").skip(1) {
                    let name = tag.trim_start_matches('-').trim_start();
                    if name.starts_with("data ") {
                        s.data_tags += 1;
                    } else if name.starts_with("ifversion ") {
                        s.ifversion_tags += 1;
                    } else {
                        s.other_tags += 1;
                    }
                }
            }
        }
        s
    }

    /// The statistics of the tree at `root` (a generated one or a real one).
    pub fn of_tree(root: &Path) -> std::io::Result<Stats> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    let rel = path
                        .strip_prefix(root)
                        .expect("under root")
                        .to_string_lossy()
                        .into_owned();
                    files.push((rel, text));
                }
            }
        }
        Ok(Stats::of_files(files.iter().map(|(r, t)| (r.as_str(), t.as_str()))))
    }

    fn print(&self, name: &str) {
        let per = |n: usize| n as f64 / self.pages.max(1) as f64;
        println!(
            "{name}: {} pages, {:.1} MB of pages ({:.1} KB each), {} reusables, {} features, {} variable files, {} translated files; per page: {:.1} data, {:.1} ifversion, {:.1} other tags, {:.1} AUTOTITLE links",
            self.pages,
            self.page_bytes as f64 / 1e6,
            self.page_bytes as f64 / 1e3 / self.pages.max(1) as f64,
            self.reusables,
            self.features,
            self.variable_files,
            self.translated_files,
            per(self.data_tags),
            per(self.ifversion_tags),
            per(self.other_tags),
            per(self.autotitle_links),
        );
    }
}

fn usage() -> ! {
    eprintln!("usage: gen_tree OUT_DIR [PAGES=6000] [--seed N] [--langs en,ko,…|all]\n       gen_tree --stats TREE…");
    std::process::exit(2);
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--stats") {
        if args.len() < 2 {
            usage();
        }
        for tree in &args[1..] {
            match Stats::of_tree(Path::new(tree)) {
                Ok(s) => s.print(tree),
                Err(e) => {
                    eprintln!("{tree}: {e}");
                    std::process::exit(1);
                }
            }
        }
        return;
    }
    let mut out = None;
    let mut params = Params::new(6000);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => params.seed = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| usage()),
            "--langs" => {
                let list = it.next().unwrap_or_else(|| usage());
                if list != "all" {
                    let wanted: Vec<&str> = list.split(',').collect();
                    params.translations = TRANSLATIONS
                        .iter()
                        .map(|t| t.0)
                        .filter(|f| wanted.iter().any(|w| f.starts_with(w)))
                        .collect();
                }
            }
            s if s.starts_with('-') => usage(),
            s if out.is_none() => out = Some(s.to_string()),
            s => params.pages = s.parse().unwrap_or_else(|_| usage()),
        }
    }
    let Some(out) = out else { usage() };
    if params.pages == 0 {
        usage();
    }
    let start = std::time::Instant::now();
    match generate_with(Path::new(&out), &params) {
        Ok(stats) => {
            stats.print(&out);
            eprintln!("wrote {out} in {:.1} s", start.elapsed().as_secs_f64());
        }
        Err(e) => {
            eprintln!("{out}: {e}");
            std::process::exit(1);
        }
    }
}
