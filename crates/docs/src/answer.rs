//! What a model answers: prose per symbol id, never positions. [`response_schema`] is the strict
//! JSON Schema sent with the request (`response_format: json_schema`, `strict: true`), and
//! [`parse_answer`] checks an answer against it and against the analysis (every id must be one
//! of the symbols asked about), so a schema-violating answer is a retryable failure.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::analysis::Analysis;

/// One parameter's (or prop's) description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamAnswer {
    /// The parameter's name as the request listed it.
    pub name: String,
    /// What it is for.
    pub description: String,
}

/// The prose for one symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolAnswer {
    /// The symbol id from the request (`name@line`).
    pub id: String,
    /// One or two sentences: what it does.
    pub summary: String,
    /// Each parameter or prop.
    #[serde(default)]
    pub params: Vec<ParamAnswer>,
    /// What it returns; empty when nothing.
    #[serde(default)]
    pub returns: String,
    /// When it throws; empty when never.
    #[serde(default)]
    pub throws: String,
    /// A short usage example; may be empty.
    #[serde(default)]
    pub example: String,
}

/// A whole answer (one per chunk of a split file).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// What the file is for, one paragraph.
    pub summary: String,
    /// How it works, for a reader new to it.
    pub explanation: String,
    /// Per-symbol prose.
    pub symbols: Vec<SymbolAnswer>,
}

/// The JSON Schema of [`Answer`] in the strict subset OpenAI's structured output accepts
/// (every property required, no additional properties).
pub fn response_schema() -> Value {
    let string = json!({"type": "string"});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["summary", "explanation", "symbols"],
        "properties": {
            "summary": string,
            "explanation": string,
            "symbols": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "summary", "params", "returns", "throws", "example"],
                    "properties": {
                        "id": string,
                        "summary": string,
                        "params": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": false,
                                "required": ["name", "description"],
                                "properties": {"name": string, "description": string}
                            }
                        },
                        "returns": string,
                        "throws": string,
                        "example": string
                    }
                }
            }
        }
    })
}

/// Why an answer was not usable (each counts as malformed output for the retry).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Not JSON at all.
    #[error("the answer is not JSON ({0})")]
    NotJson(String),
    /// JSON of another shape.
    #[error("the answer does not match the schema ({0})")]
    Schema(String),
    /// An id that was not asked about.
    #[error("the answer names a symbol that was not asked about: {0}")]
    UnknownSymbol(String),
}

/// Parses an answer's text and checks that every symbol id is one of `asked`; symbols answered
/// twice keep their first answer. Text around a JSON object (a model's preamble, a code
/// fence) is ignored.
pub fn parse_answer(
    text: &str,
    analysis: &Analysis,
    asked: &[String],
) -> Result<Answer, AnswerError> {
    let trimmed = text.trim();
    let body = match (trimmed.find('{'), trimmed.rfind('}')) {
        (Some(a), Some(b)) if a < b => &trimmed[a..=b],
        _ => return Err(AnswerError::NotJson("no JSON object".into())),
    };
    let value: Value =
        serde_json::from_str(body).map_err(|e| AnswerError::NotJson(e.to_string()))?;
    let mut answer: Answer =
        serde_json::from_value(value).map_err(|e| AnswerError::Schema(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for s in &answer.symbols {
        if !asked.iter().any(|a| a == &s.id) || analysis.symbol(&s.id).is_none() {
            return Err(AnswerError::UnknownSymbol(s.id.chars().take(80).collect()));
        }
    }
    answer.symbols.retain(|s| seen.insert(s.id.clone()));
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    #[test]
    fn answers_naming_unknown_symbols_or_of_another_shape_are_refused() {
        let a = analyze(
            "a.ts",
            "export function add(a: number, b: number) { return a + b; }\n",
        )
        .unwrap();
        let asked = vec!["add@1".to_owned()];
        let ok = r#"{"summary":"s","explanation":"e","symbols":[{"id":"add@1","summary":"Adds.","params":[],"returns":"","throws":"","example":""}]}"#;
        assert_eq!(parse_answer(ok, &a, &asked).unwrap().symbols.len(), 1);
        let fenced = format!("```json\n{ok}\n```");
        assert!(parse_answer(&fenced, &a, &asked).is_ok());
        let unknown = ok.replace("add@1", "sub@9");
        assert!(matches!(
            parse_answer(&unknown, &a, &asked),
            Err(AnswerError::UnknownSymbol(_))
        ));
        assert!(matches!(
            parse_answer(r#"{"summary": 3}"#, &a, &asked),
            Err(AnswerError::Schema(_))
        ));
        assert!(matches!(
            parse_answer("I cannot do that", &a, &asked),
            Err(AnswerError::NotJson(_))
        ));
    }
}
