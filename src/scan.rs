//! Finding Liquid tags in raw text without parsing it: for translation repair,
//! supplements and error messages, which must work on text that does not parse.

/// A `{% … %}` tag in a text: byte ranges of the whole tag and of its inner text
/// (without `{%`, `%}`, whitespace-control dashes and surrounding spaces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagSpan {
    /// Byte offset of `{%`.
    pub start: usize,
    /// Byte offset just after `%}`.
    pub end: usize,
    /// Byte range (start, end) of the inner text, `name args`.
    pub inner: (usize, usize),
}

impl TagSpan {
    /// `name args` of the tag.
    pub fn inner<'a>(&self, text: &'a str) -> &'a str {
        &text[self.inner.0..self.inner.1]
    }

    /// The tag name (`ifversion`, `data`, …).
    pub fn name<'a>(&self, text: &'a str) -> &'a str {
        self.inner(text).split_whitespace().next().unwrap_or("")
    }

    /// The arguments after the name, with runs of whitespace as one space.
    pub fn args(&self, text: &str) -> String {
        self.inner(text)
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every tag of `text`, in order. `{% a {% b %}` yields only `{% b %}`.
///
/// ```
/// use docgate::scan::tags;
/// let t = "x {%- ifversion ghes > 3.4 -%} y {% endif %}";
/// let spans = tags(t);
/// assert_eq!(spans.len(), 2);
/// assert_eq!(spans[0].name(t), "ifversion");
/// assert_eq!(spans[0].args(t), "ghes > 3.4");
/// ```
pub fn tags(text: &str) -> Vec<TagSpan> {
    let mut out = Vec::new();
    let mut pos = 0;
    let bytes = text.as_bytes();
    let opener = memchr::memmem::Finder::new("{%");
    while let Some(i) = opener.find(&bytes[pos..]) {
        let start = pos + i;
        // The first `%}` or `{%` after the opener: one pass, so text full of
        // unclosed `{%` costs linear time.
        let mut k = start + 2;
        let mut end = None;
        while k + 1 < bytes.len() {
            match (bytes[k], bytes[k + 1]) {
                (b'%', b'}') => {
                    end = Some(k + 2);
                    break;
                }
                (b'{', b'%') => break,
                _ => k += 1,
            }
        }
        let Some(end) = end else {
            if k + 1 >= bytes.len() {
                break;
            }
            pos = k;
            continue;
        };
        let mut a = start + 2;
        let mut b = end - 2;
        if text[a..b].starts_with('-') {
            a += 1;
        }
        if b > a && text[a..b].ends_with('-') {
            b -= 1;
        }
        let inner = &text[a..b];
        let lead = inner.len() - inner.trim_start().len();
        let trail = inner.len() - inner.trim_end().len();
        out.push(TagSpan {
            start,
            end,
            inner: (a + lead, (b - trail).max(a + lead)),
        });
        pos = end;
    }
    out
}

/// The tags whose first argument is a data path (`{% data variables.x %}`,
/// `{% indented_data_reference reusables.y spaces=3 %}`): the one list every
/// module that follows data references asks.
pub const DATA_PATH_TAGS: [&str; 2] = ["data", "indented_data_reference"];

/// Whether tag `name` takes a data path (see [`DATA_PATH_TAGS`]).
pub fn takes_data_path(name: &str) -> bool {
    DATA_PATH_TAGS.contains(&name)
}
