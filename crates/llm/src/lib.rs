//! An embedded language model: a GGUF file of the llama family (SmolLM2, Llama, Qwen2 in llama
//! layout) run with candle's quantized kernels, on the CPU or, built with the `cuda` feature, on a
//! GPU. The tokenizer is built from the GGUF metadata itself (`TokenizerFromGguf`), so a model is
//! one file.
//!
//! Two uses: [`GgufTokenizer`] counts tokens (the backend's tier limits, without loading the
//! weights) and [`LocalModel`] generates text greedily from a ChatML prompt (the worker's `local`
//! provider). Not here: prompts, documents, HTTP.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use candle_core::quantized::gguf_file;
use candle_core::quantized::tokenizer::TokenizerFromGguf;
use candle_core::{Device, Tensor};
use candle_transformers::generation::LogitsProcessor;
use candle_transformers::models::quantized_llama::ModelWeights;
use tokenizers::Tokenizer;

pub mod testing;

/// What can go wrong with a model file or a generation.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The file cannot be opened or read.
    #[error("cannot read the model file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a GGUF model this crate can run.
    #[error("the model file is not usable: {0}")]
    Model(String),
    /// A tensor operation failed while generating.
    #[error("generation failed: {0}")]
    Generation(String),
    /// The caller's stop signal fired (a deadline or a cancelled job).
    #[error("generation was stopped")]
    Stopped,
}

fn model_err(e: impl std::fmt::Display) -> LlmError {
    LlmError::Model(e.to_string())
}

fn gen_err(e: impl std::fmt::Display) -> LlmError {
    LlmError::Generation(e.to_string())
}

/// Where the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The CPU.
    Cpu,
    /// The first CUDA GPU (only with the `cuda` feature; else an error at load).
    Cuda,
}

fn device(placement: Placement) -> Result<Device, LlmError> {
    match placement {
        Placement::Cpu => Ok(Device::Cpu),
        Placement::Cuda if cfg!(feature = "cuda") => Device::new_cuda(0).map_err(model_err),
        Placement::Cuda => Err(LlmError::Model(
            "this build has no CUDA support (build with the `cuda` feature)".into(),
        )),
    }
}

fn read_content(path: &Path) -> Result<(gguf_file::Content, BufReader<File>), LlmError> {
    let mut reader = BufReader::new(File::open(path)?);
    let content = gguf_file::Content::read(&mut reader).map_err(model_err)?;
    Ok((content, reader))
}

/// A model's tokenizer, built from its GGUF metadata (the weights are not read).
pub struct GgufTokenizer {
    tokenizer: Tokenizer,
    eos: u32,
}

impl GgufTokenizer {
    /// Reads the tokenizer of the GGUF file at `path`.
    pub fn load(path: &Path) -> Result<Self, LlmError> {
        let (content, _) = read_content(path)?;
        Self::from_content(&content)
    }

    fn from_content(content: &gguf_file::Content) -> Result<Self, LlmError> {
        let tokenizer = Tokenizer::from_gguf(content).map_err(model_err)?;
        let eos = content
            .metadata
            .get("tokenizer.ggml.eos_token_id")
            .and_then(|v| v.to_u32().ok())
            .ok_or_else(|| LlmError::Model("no end-of-sequence token in the metadata".into()))?;
        Ok(Self { tokenizer, eos })
    }

    /// The token ids of `text` (special tokens such as `<|im_start|>` are recognised).
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, LlmError> {
        Ok(self
            .tokenizer
            .encode(text, false)
            .map_err(model_err)?
            .get_ids()
            .to_vec())
    }

    /// How many tokens `text` is.
    pub fn count(&self, text: &str) -> Result<usize, LlmError> {
        self.encode(text).map(|ids| ids.len())
    }

    fn decode(&self, ids: &[u32]) -> Result<String, LlmError> {
        self.tokenizer.decode(ids, true).map_err(gen_err)
    }
}

/// Why a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The model wrote its end-of-sequence token (or a stop string).
    Stop,
    /// `max_new_tokens` were generated.
    Length,
}

/// One generation's text and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The generated text (without the prompt and the end token).
    pub text: String,
    /// Tokens of the prompt.
    pub prompt_tokens: usize,
    /// Tokens generated.
    pub completion_tokens: usize,
    /// Why it ended.
    pub finish: Finish,
    /// Time of the prompt's forward pass.
    pub prompt_time: Duration,
    /// Time of the generated tokens' forward passes.
    pub generation_time: Duration,
}

impl Generation {
    /// Generated tokens per second (prompt excluded).
    pub fn tokens_per_second(&self) -> f64 {
        let secs = self.generation_time.as_secs_f64();
        if secs > 0.0 {
            self.completion_tokens as f64 / secs
        } else {
            0.0
        }
    }
}

/// A loaded model. Generations run one at a time (the weights hold one attention cache).
pub struct LocalModel {
    weights: Mutex<ModelWeights>,
    tokenizer: GgufTokenizer,
    device: Device,
    context_tokens: usize,
}

impl LocalModel {
    /// Loads the GGUF file at `path` onto `placement`.
    pub fn load(path: &Path, placement: Placement) -> Result<Self, LlmError> {
        let device = device(placement)?;
        let (content, mut reader) = read_content(path)?;
        let tokenizer = GgufTokenizer::from_content(&content)?;
        let context_tokens = content
            .metadata
            .iter()
            .find(|(k, _)| k.ends_with(".context_length"))
            .and_then(|(_, v)| v.to_u32().ok())
            .unwrap_or(2048) as usize;
        let weights = ModelWeights::from_gguf(content, &mut reader, &device).map_err(model_err)?;
        Ok(Self {
            weights: Mutex::new(weights),
            tokenizer,
            device,
            context_tokens,
        })
    }

    /// The model's tokenizer.
    pub fn tokenizer(&self) -> &GgufTokenizer {
        &self.tokenizer
    }

    /// The longest prompt plus generation the model was trained for.
    pub fn context_tokens(&self) -> usize {
        self.context_tokens
    }

    /// Whether it runs on a GPU.
    pub fn on_gpu(&self) -> bool {
        self.device.is_cuda()
    }

    /// Generates greedily after `prompt` (already in the model's chat template) until the end
    /// token, `stop_at` (when non-empty, the text up to it is kept) or `max_new_tokens`.
    /// `stopped` is asked before every token; when it answers true the generation ends with
    /// [`LlmError::Stopped`].
    pub fn generate(
        &self,
        prompt: &str,
        max_new_tokens: usize,
        stop_at: &str,
        stopped: &dyn Fn() -> bool,
    ) -> Result<Generation, LlmError> {
        let ids = self.tokenizer.encode(prompt)?;
        if ids.is_empty() {
            return Err(LlmError::Generation("the prompt is empty".into()));
        }
        if ids.len() + max_new_tokens > self.context_tokens {
            return Err(LlmError::Generation(format!(
                "the prompt ({} tokens) and {max_new_tokens} new tokens exceed the model's context of {}",
                ids.len(),
                self.context_tokens
            )));
        }
        let mut weights = self
            .weights
            .lock()
            .map_err(|_| LlmError::Generation("an earlier generation panicked".into()))?;
        weights.clear_kv_cache();
        let mut sampler = LogitsProcessor::new(0, None, None);
        let started = Instant::now();
        let input = Tensor::new(ids.as_slice(), &self.device)
            .and_then(|t| t.unsqueeze(0))
            .map_err(gen_err)?;
        let logits = weights
            .forward(&input, 0)
            .and_then(|l| l.squeeze(0))
            .map_err(gen_err)?;
        let mut next = sampler.sample(&logits).map_err(gen_err)?;
        let prompt_time = started.elapsed();
        let generating = Instant::now();
        let mut out: Vec<u32> = Vec::new();
        let mut finish = Finish::Length;
        while out.len() < max_new_tokens {
            if next == self.tokenizer.eos {
                finish = Finish::Stop;
                break;
            }
            out.push(next);
            if !stop_at.is_empty() && self.tokenizer.decode(&out)?.contains(stop_at) {
                finish = Finish::Stop;
                break;
            }
            if out.len() == max_new_tokens {
                break;
            }
            if stopped() {
                return Err(LlmError::Stopped);
            }
            let input = Tensor::new(&[next], &self.device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(gen_err)?;
            let logits = weights
                .forward(&input, ids.len() + out.len() - 1)
                .and_then(|l| l.squeeze(0))
                .map_err(gen_err)?;
            next = sampler.sample(&logits).map_err(gen_err)?;
        }
        let mut text = self.tokenizer.decode(&out)?;
        if !stop_at.is_empty()
            && let Some(at) = text.find(stop_at)
        {
            text.truncate(at);
        }
        Ok(Generation {
            text,
            prompt_tokens: ids.len(),
            completion_tokens: out.len(),
            finish,
            prompt_time,
            generation_time: generating.elapsed(),
        })
    }
}

/// A ChatML conversation (SmolLM2's and Qwen's template): `system`, one `user` turn, and the
/// opened assistant turn, optionally already begun with `assistant_prefix`.
pub fn chatml(system: &str, user: &str, assistant_prefix: &str) -> String {
    format!(
        "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n{assistant_prefix}"
    )
}
