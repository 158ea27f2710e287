//! Frontmatter: the schema, Liquid in properties, the pre-2022 `versions` form.

use super::*;

impl Linter<'_> {
    /// Translatable frontmatter properties: Liquid that parses, then the tag rules.
    pub(super) fn lint_frontmatter(&mut self, file: &Arc<str>, text: &str, split: &Split<'_>, versions: &[Version]) {
        let yaml_offset = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
        for prop in Property::TRANSLATABLE {
            let key = format!("\n{}:", prop.key());
            let Some(at) = split.yaml.find(&key).map(|i| i + key.len()) else {
                continue;
            };
            let end = split.yaml[at..].find('\n').map_or(split.yaml.len(), |n| at + n);
            let raw = &split.yaml[at..end];
            if !raw.contains("{%") && !raw.contains("{{") {
                continue;
            }
            let value = Source {
                file: file.clone(),
                full: text,
                start: yaml_offset + at,
                text: raw,
                fixed_line: None,
                lines: Default::default(),
            };
            let line = value.at(0).0;
            if let Err(e) = self.renderer.parse(raw, Origin::new(file.clone(), line)) {
                self.out.push(value.finding(
                    "frontmatter-liquid-syntax",
                    Severity::Error,
                    0,
                    format!("`{}`: {}", prop.key(), e.message()),
                ));
                continue;
            }
            self.lint_tags(&value, versions);
        }
    }
}

pub(super) fn legacy_versions_string(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end();
        l == "versions: '*'" || l == "versions: \"*\"" || l == "versions: *"
    })
}
