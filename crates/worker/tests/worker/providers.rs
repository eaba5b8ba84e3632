//! The AI providers against a real HTTP server that speaks Chat Completions, scripted per test:
//! what is sent (structured output, strict schema, the tier's model, the key), what counts as a
//! success, and the one retry: 429 with `Retry-After` (within the bound), 5xx, timeouts,
//! malformed or schema-violating answers and answers below the quality gates are retried once;
//! `insufficient_quota`, other 4xx, refusals and truncation never are.

use std::time::{Duration, Instant};

use hivesync_core::Secret;
use hivesync_docs::{Analysis, Options, analyze};
use hivesync_worker::ai_docs::{Gates, Settings, generate};
use hivesync_worker::providers::openai::OpenAi;
use hivesync_worker::testing::{ChatServer, Reply, full_answer};

const SOURCE: &str = "import { clamp } from './math';

/** Already documented. */
export function scale(value: number, factor = 2): number {
  if (factor < 0) throw new RangeError('negative factor');
  return clamp(value * factor);
}

export const ZERO = 0;
";

fn analysis() -> Analysis {
    analyze("src/scale.ts", SOURCE).unwrap()
}

fn settings(timeout: Duration) -> Settings {
    Settings {
        chunk_tokens: 6000,
        max_retry_wait: Duration::from_secs(3),
        timeout,
        gates: Gates {
            min_completeness: 0.6,
            min_truthfulness: 0.8,
        },
    }
}

/// Generates against `replies`; returns the result, the server (to count calls) and the time.
async fn run(
    replies: Vec<Reply>,
    timeout: Duration,
) -> (
    Result<hivesync_docs::Document, String>,
    ChatServer,
    Duration,
) {
    let server = ChatServer::start(replies).await;
    let provider = OpenAi::new(
        &server.base_url,
        Some(Secret::new("sk-test-key")),
        "gpt-test-mini",
        timeout,
        1000,
    );
    let a = analysis();
    let started = Instant::now();
    let result = generate(
        &provider,
        &a,
        SOURCE,
        &[],
        Options::default(),
        &settings(timeout),
        &hivesync_docs::tokens::o200k_count,
    )
    .await;
    (result, server, started.elapsed())
}

fn good() -> Reply {
    Reply::content(&full_answer(&analysis()))
}

#[tokio::test]
async fn a_structured_answer_becomes_a_document_after_one_call() {
    let (doc, server, _) = run(vec![good()], Duration::from_secs(5)).await;
    let doc = doc.unwrap();
    assert_eq!(server.calls(), 1);
    assert_eq!(doc.provider.name, "openai");
    assert_eq!(doc.provider.model, "gpt-test-mini");
    assert_eq!(doc.provider.attempts, 1);
    assert_eq!(doc.provider.usage.prompt_tokens, 120);
    assert!(!doc.provider.analysis_only);
    assert_eq!(doc.quality.completeness, 1.0, "{:?}", doc.quality.missing);
    assert_eq!(doc.quality.truthfulness, 1.0);
    // `scale` already had a doc comment: only `ZERO` gets one.
    assert_eq!(doc.inline_comments.len(), 1);
    assert!(doc.diff.contains("+ * Handles `ZERO`."));
    let body = &server.bodies()[0];
    assert_eq!(body["model"], "gpt-test-mini");
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    assert_eq!(
        body["response_format"]["json_schema"]["schema"]["additionalProperties"],
        false
    );
    assert_eq!(body["messages"][0]["role"], "system");
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("id `scale@4`")
    );
    assert_eq!(
        server.authorization(0).as_deref(),
        Some("Bearer sk-test-key")
    );
}

#[tokio::test]
async fn a_429_is_retried_once_after_its_retry_after() {
    let (doc, server, took) = run(
        vec![
            Reply::error(429, "rate_limit_exceeded", "slow down").header("retry-after", "1"),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(doc.unwrap().provider.attempts, 2);
    assert_eq!(server.calls(), 2);
    assert!(took >= Duration::from_secs(1), "{took:?}");
    // retry-after-ms wins over retry-after.
    let (doc, server, took) = run(
        vec![
            Reply::error(429, "rate_limit_exceeded", "slow down")
                .header("retry-after-ms", "200")
                .header("retry-after", "30"),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    assert!(doc.is_ok());
    assert_eq!(server.calls(), 2);
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_429_asking_to_wait_past_the_bound_is_not_retried() {
    let (doc, server, _) = run(
        vec![
            Reply::error(429, "rate_limit_exceeded", "slow down").header("retry-after", "60"),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 1);
    assert!(reason.contains("retry in 60 s"), "{reason}");
}

#[tokio::test]
async fn insufficient_quota_is_never_retried() {
    let (doc, server, _) = run(
        vec![
            Reply::error(429, "insufficient_quota", "You exceeded your current quota"),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 1);
    assert!(reason.contains("quota is used up"), "{reason}");
}

#[tokio::test]
async fn a_500_is_retried_once() {
    let (doc, server, _) = run(
        vec![Reply::error(500, "server_error", "boom"), good()],
        Duration::from_secs(5),
    )
    .await;
    assert!(doc.is_ok());
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn failing_twice_fails_after_exactly_two_calls() {
    let (doc, server, _) = run(
        vec![
            Reply::error(503, "server_error", "down"),
            Reply::error(500, "server_error", "still down"),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 2);
    assert!(reason.contains("failed twice (HTTP 500)"), "{reason}");
}

#[tokio::test]
async fn a_timeout_is_retried_once() {
    let (doc, server, _) = run(
        vec![good().delayed(Duration::from_secs(3)), good()],
        Duration::from_millis(800),
    )
    .await;
    assert!(doc.is_ok(), "{doc:?}");
    assert_eq!(server.calls(), 2);
    let (doc, server, _) = run(
        vec![good().delayed(Duration::from_secs(3))],
        Duration::from_millis(800),
    )
    .await;
    assert!(doc.unwrap_err().contains("did not answer"));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn malformed_json_is_retried_once() {
    let (doc, server, _) = run(
        vec![Reply::content("{\"summary\": \"cut"), good()],
        Duration::from_secs(5),
    )
    .await;
    assert!(doc.is_ok());
    assert_eq!(server.calls(), 2);
    // A body that is not JSON at all, twice.
    let mut not_json = Reply::json(200, serde_json::Value::Null);
    not_json.body = "<html>oops</html>".into();
    let (doc, server, _) = run(vec![not_json], Duration::from_secs(5)).await;
    assert!(doc.unwrap_err().contains("unusable twice"));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn schema_violating_answers_are_retried_once() {
    let unknown = full_answer(&analysis()).replace("ZERO@9", "invented@99");
    let (doc, server, _) = run(
        vec![Reply::content(&unknown), good()],
        Duration::from_secs(5),
    )
    .await;
    assert!(doc.is_ok());
    assert_eq!(server.calls(), 2);
    let wrong_shape = Reply::content(r#"{"summary": 1, "explanation": "", "symbols": []}"#);
    let (doc, server, _) = run(vec![wrong_shape], Duration::from_secs(5)).await;
    assert!(doc.unwrap_err().contains("does not match the schema"));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn answers_below_the_quality_gates_are_retried_once_then_fail() {
    let thin = r#"{"summary": "", "explanation": "", "symbols": []}"#;
    let (doc, server, _) = run(vec![Reply::content(thin), good()], Duration::from_secs(5)).await;
    assert_eq!(doc.unwrap().provider.attempts, 2);
    assert_eq!(server.calls(), 2);
    let invented = full_answer(&analysis()).replace(
        "Handles `scale`",
        "Calls `fetchRemoteScale` and `retryForever` and `cacheLayer`",
    );
    let (doc, server, _) = run(vec![Reply::content(&invented)], Duration::from_secs(5)).await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 2);
    assert!(
        reason.contains("quality thresholds twice") && reason.contains("truthfulness"),
        "{reason}"
    );
}

#[tokio::test]
async fn refusals_are_never_retried() {
    let (doc, server, _) = run(
        vec![Reply::refusal("I can't help with that."), good()],
        Duration::from_secs(5),
    )
    .await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 1);
    assert!(
        reason.contains("refused") && reason.contains("I can't help with that."),
        "{reason}"
    );
}

#[tokio::test]
async fn truncated_answers_are_never_retried() {
    let cut = Reply::completion(
        serde_json::json!({"role": "assistant", "content": "{\"summary\": \"a", "refusal": null}),
        "length",
    );
    let (doc, server, _) = run(vec![cut, good()], Duration::from_secs(5)).await;
    assert!(doc.unwrap_err().contains("cut off"));
    assert_eq!(server.calls(), 1);
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    let (doc, server, _) = run(
        vec![
            Reply::error(
                401,
                "invalid_api_key",
                "Incorrect API key provided: sk-test***-key. You can find your API key at https://platform.openai.com/account/api-keys.",
            ),
            good(),
        ],
        Duration::from_secs(5),
    )
    .await;
    let reason = doc.unwrap_err();
    assert_eq!(server.calls(), 1);
    assert!(reason.contains("HTTP 401"), "{reason}");
    assert!(!reason.contains("sk-test"), "{reason}");
}

#[tokio::test]
async fn large_files_are_asked_about_in_parts_and_merged() {
    let mut src = String::from("import { k } from './k';\n\n");
    for i in 0..12 {
        src.push_str(&format!(
            "export function f{i}(x: number): number {{\n  return x * {i} + k;\n}}\n\n"
        ));
    }
    let a = analyze("src/many.ts", &src).unwrap();
    // Each part is answered with the whole file's answer (ids of other parts are refused), so
    // the server answers per request with what was asked: use a generous static reply instead.
    let chunks =
        hivesync_docs::prompt::plan_chunks(&a, &src, 120, &hivesync_docs::tokens::o200k_count);
    assert!(chunks.len() >= 3);
    let replies: Vec<Reply> = chunks
        .iter()
        .map(|c| {
            let symbols: Vec<serde_json::Value> = c
                .symbol_ids
                .iter()
                .map(|id| serde_json::json!({"id": id, "summary": "Scales `x`.", "params": [{"name": "x", "description": "The input."}], "returns": "The product.", "throws": "", "example": ""}))
                .collect();
            Reply::content(&serde_json::json!({"summary": "Scaling helpers.", "explanation": "Part.", "symbols": symbols}).to_string())
        })
        .collect();
    let server = ChatServer::start(replies).await;
    let provider = OpenAi::new(&server.base_url, None, "m", Duration::from_secs(5), 1000);
    let mut s = settings(Duration::from_secs(5));
    s.chunk_tokens = 120;
    let doc = generate(
        &provider,
        &a,
        &src,
        &[],
        Options::default(),
        &s,
        &hivesync_docs::tokens::o200k_count,
    )
    .await
    .unwrap();
    assert_eq!(server.calls(), chunks.len());
    assert_eq!(doc.inline_comments.len(), 12);
    assert_eq!(doc.quality.completeness, 1.0);
    assert!(doc.warnings.iter().any(|w| w.contains("parts")));
    assert_eq!(
        server.authorization(0),
        None,
        "no key configured, none sent"
    );
}
