//! `{% prompt %}…{% endprompt %}` of today's engine (a built-in tag in its own
//! file: this file, plus `registry.block(prompt::PromptBlock)` in
//! [`super::plugin::register_github_docs`]).

use std::io::Write;

use liquid_core::Language;
use liquid_core::parser::{BlockReflection, ParseBlock, TagBlock, TagTokenIter};
use liquid_core::runtime::{Renderable, Runtime};

use super::docs_tags::{Octicon, encode_uri_component, write};

/// `{% prompt %}…{% endprompt %}`: the prompt as code, then a link that runs
/// it in Copilot Chat with the Copilot octicon, as today's engine renders it.
#[derive(Clone, Debug)]
pub struct PromptBlock;

impl BlockReflection for PromptBlock {
    fn start_tag(&self) -> &str {
        "prompt"
    }
    fn end_tag(&self) -> &str {
        "endprompt"
    }
    fn description(&self) -> &str {
        "A Copilot prompt with a link that runs it."
    }
}

impl ParseBlock for PromptBlock {
    fn parse(
        &self,
        mut args: TagTokenIter,
        mut block: TagBlock,
        lang: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        args.expect_nothing()?;
        Ok(Box::new(Prompt {
            body: block.parse_all(lang)?,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Prompt {
    body: Vec<Box<dyn Renderable>>,
}

impl Renderable for Prompt {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let mut content = Vec::new();
        for r in &self.body {
            r.render_to(&mut content, rt)?;
        }
        let content = String::from_utf8_lossy(&content);
        let icon = Octicon {
            name: "copilot".into(),
            attrs: Vec::new(),
        };
        write(
            w,
            &format!(
                "<code>{content}</code><a href=\"https://github.com/copilot?prompt={}\" target=\"_blank\" class=\"tooltipped tooltipped-nw ml-1\" aria-label=\"Run this prompt in Copilot Chat\" style=\"text-decoration:none;\">{}</a>",
                encode_uri_component(&content),
                icon.svg(false)
            ),
        )
    }
}
