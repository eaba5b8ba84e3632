//! The embedded model (`hivesync-llm`, feature `local-model`): a small GGUF model cannot be
//! trusted to write a whole JSON document, so it is asked for plain prose, one short answer per
//! field (the file's summary, each symbol's summary), and the worker builds the [`Answer`] from
//! those answers and the analysis. Generation runs on the blocking pool, one at a time.

use std::path::Path;
use std::sync::Arc;

use hivesync_docs::prompt::Prompt;
use hivesync_docs::{Analysis, Answer, SymbolAnswer, Usage};
use hivesync_llm::{LocalModel, Placement, chatml};

use super::{Completion, DocsProvider, ProviderError};

/// Most characters of code quoted in one local prompt (small models have small contexts and
/// are slow on long prompts).
const CODE_CHARS: usize = 1_200;

const SYSTEM: &str = "You document source code. Answer with one plain sentence, no code.";

/// A loaded GGUF model.
#[derive(Clone)]
pub struct Local {
    model: Arc<LocalModel>,
    name: String,
    max_new_tokens: usize,
}

impl Local {
    /// Loads the model at `path` (on a GPU when `gpu` and the `cuda` feature are both there).
    pub fn load(path: &Path, gpu: bool, max_new_tokens: u32) -> Result<Self, String> {
        let placement = if gpu && cfg!(feature = "cuda") {
            Placement::Cuda
        } else {
            Placement::Cpu
        };
        let model = LocalModel::load(path, placement).map_err(|e| e.to_string())?;
        Ok(Self {
            model: Arc::new(model),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "local".into()),
            max_new_tokens: max_new_tokens as usize,
        })
    }

    /// The model's tokenizer count of `text`.
    pub fn count_tokens(&self, text: &str) -> usize {
        self.model.tokenizer().count(text).unwrap_or(usize::MAX)
    }
}

fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(CODE_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// The first sentence of a generation, trimmed.
fn sentence(text: &str) -> String {
    let t = text.trim().trim_matches('"').trim();
    let end = t
        .char_indices()
        .find(|(i, c)| *c == '.' && t[i + 1..].starts_with([' ', '\n']))
        .map_or(t.len(), |(i, _)| i + 1);
    t[..end].trim().to_owned()
}

impl DocsProvider for Local {
    fn name(&self) -> &'static str {
        "local"
    }

    fn model(&self) -> &str {
        &self.name
    }

    async fn complete(
        &self,
        prompt: &Prompt,
        analysis: &Analysis,
        chunk_text: &str,
    ) -> Result<Completion, ProviderError> {
        let mut questions = vec![(
            None,
            format!(
                "What is the purpose of the file `{}`?\n```\n{}\n```",
                analysis.path,
                excerpt(chunk_text)
            ),
        )];
        for id in &prompt.symbol_ids {
            let Some(s) = analysis.symbol(id) else {
                continue;
            };
            let code = chunk_text
                .find(&s.signature)
                .map(|at| &chunk_text[at..])
                .unwrap_or(&s.signature);
            questions.push((
                Some(id.clone()),
                format!(
                    "What does the {} `{}` do?\n```\n{}\n```",
                    s.kind.as_str(),
                    s.name,
                    excerpt(code)
                ),
            ));
        }
        let model = self.model.clone();
        let max = self.max_new_tokens;
        let answers = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            let mut usage = Usage::default();
            for (id, q) in questions {
                let g = model
                    .generate(&chatml(SYSTEM, &q, ""), max, "\n\n", &|| false)
                    .map_err(|e| ProviderError::Local(e.to_string()))?;
                usage.prompt_tokens += g.prompt_tokens as u64;
                usage.completion_tokens += g.completion_tokens as u64;
                out.push((id, sentence(&g.text)));
            }
            Ok::<_, ProviderError>((out, usage))
        })
        .await
        .map_err(|e| ProviderError::Local(e.to_string()))??;
        let (texts, usage) = answers;
        let mut answer = Answer::default();
        for (id, text) in texts {
            match id {
                None => answer.summary = text,
                Some(id) => answer.symbols.push(SymbolAnswer {
                    id,
                    summary: text,
                    params: Vec::new(),
                    returns: String::new(),
                    throws: String::new(),
                    example: String::new(),
                }),
            }
        }
        Ok(Completion { answer, usage })
    }
}
