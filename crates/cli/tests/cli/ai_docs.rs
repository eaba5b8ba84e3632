//! AI documentation end to end, over real HTTP: the request's limits (real token counts, rates
//! per user and per project, jobs in flight), the queue and a worker, the document in object
//! storage, the signed callback and its checks, `ai_docs.ready` / `ai_docs.failed` on the event
//! stream, and the cache that answers an identical input without a provider call.

use std::time::Duration;

use futures::StreamExt;
use hivesync_core::config::{AiModelChoice, AiProvider, Config};
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::{Tier, WorkerType};
use hivesync_store::Driver;
use hivesync_worker::testing::{ChatServer, Reply};
use serde_json::{Value, json};

use crate::common::*;

const MATH: &str = "import { round } from './round';\r\n\r\n@Register()\r\nexport class Calc {\r\n  /** Adds. */\r\n  add(a: number, b: number): number {\r\n    return round(a + b);\r\n  }\r\n}\r\n\r\nexport default function half(x: number): number {\r\n  if (Number.isNaN(x)) throw new TypeError('x');\r\n  return x / 2;\r\n}\r\n";

fn body(app: &App, path: &str, content: &str, style: &str) -> Value {
    json!({"project_id": app.project.id, "path": path, "content": content, "style": style, "mode": "diff"})
}

async fn post(app: &App, body: &Value) -> reqwest::Response {
    app.http
        .post(format!("{}/api/v1/ai-docs", app.base))
        .bearer_auth(&app.api_key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn accepted(app: &App, body: &Value) -> Value {
    let r = post(app, body).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, 202, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn sse(app: &App) -> impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> {
    let r = app
        .http
        .get(format!("{}/api/v1/events", app.base))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.bytes_stream()
}

async fn read_until(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    text: &mut String,
    needle: &str,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !text.contains(needle) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .unwrap_or_else(|_| panic!("{needle} within 20 s: {text}"))
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn static_documents_flow_through_queue_storage_callback_and_events() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Free, test_config()).await;
    let mut events = Box::pin(sse(&app).await);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _w = app.start_worker("cpu-docs-1", WorkerType::Cpu, objects.clone());

    let job = accepted(&app, &body(&app, "src/math.ts", MATH, "short")).await;
    assert_eq!(job["provider"], "static");
    assert!(job["tokens"].as_u64().unwrap() > 20);
    let status = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    let id = job["job_id"].as_str().unwrap();
    assert_eq!(status["document_key"], format!("ai-docs/{id}.json"));
    let doc = &status["document"];
    assert_eq!(doc["schema_version"], hivesync_docs::SCHEMA_VERSION);
    assert_eq!(doc["provider"]["name"], "static");
    assert_eq!(doc["provider"]["analysis_only"], true);
    assert_eq!(doc["source"]["line_ending"], "crlf");
    assert!(
        doc["summary"]
            .as_str()
            .unwrap()
            .starts_with("Analysis-only document")
    );
    // The class's comment goes above its decorator; the documented method is left alone.
    let calc = doc["inline_comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["symbol"] == "Calc@4")
        .expect("Calc commented");
    assert_eq!(
        (calc["start_line"].as_u64(), calc["line"].as_u64()),
        (Some(3), Some(4))
    );
    assert!(doc["diff"].as_str().unwrap().contains("+/**\r\n"));
    let mut text = String::new();
    read_until(&mut events, &mut text, "event: ai_docs.ready").await;
    assert!(text.contains(id), "{text}");

    // A file that does not parse fails with a reason the user can act on.
    let broken = accepted(
        &app,
        &body(&app, "src/broken.ts", "export function (", "short"),
    )
    .await;
    let status = app.wait_final(&broken, Duration::from_secs(20)).await;
    assert_eq!(status["status"], "failed");
    let reason = status["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("could not be parsed") && reason.contains("line 1"),
        "{reason}"
    );
    read_until(&mut events, &mut text, "event: ai_docs.failed").await;
}

async fn cached(driver: Driver) {
    let analysis = hivesync_docs::analyze("src/math.ts", MATH).unwrap();
    let answer = hivesync_worker::testing::full_answer(&analysis);
    let chat = ChatServer::start(vec![Reply::content(&answer)]).await;
    let mut config = test_config();
    config.ai_docs.pro = AiModelChoice {
        provider: AiProvider::Openai,
        model: "gpt-4.1-mini".into(),
    };
    config.ai_docs.openai_base_url = chat.base_url.clone();
    let (_dir, objects) = local();
    let app = spawn_app(driver, objects.clone(), Tier::Pro, config).await;
    let _w = app.start_worker("cpu-docs-2", WorkerType::Cpu, objects.clone());

    let first = accepted(&app, &body(&app, "src/math.ts", MATH, "short")).await;
    assert_eq!(
        (first["provider"].as_str(), first["model"].as_str()),
        (Some("openai"), Some("gpt-4.1-mini"))
    );
    let done = app.wait_final(&first, Duration::from_secs(20)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["document"]["provider"]["attempts"], 1);
    assert_eq!(chat.calls(), 1);
    assert_eq!(chat.bodies()[0]["model"], "gpt-4.1-mini");

    let second = accepted(&app, &body(&app, "src/math.ts", MATH, "short")).await;
    let done = app.wait_final(&second, Duration::from_secs(20)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["document"]["provider"]["cached_from"], first["job_id"]);
    assert_eq!(done["document"]["provider"]["attempts"], 0);
    assert_eq!(
        done["document"]["diff"],
        app.wait_final(&first, Duration::from_secs(1)).await["document"]["diff"]
    );
    assert_eq!(
        chat.calls(),
        1,
        "the cache answered without a provider call"
    );
    // Its own object exists under its own key.
    let key = StorageKey::AiDoc(
        hivesync_core::ids::JobId::parse(second["job_id"].as_str().unwrap()).unwrap(),
    );
    assert!(objects.exists(&key).await.unwrap());

    // Other options are another input.
    let third = accepted(&app, &body(&app, "src/math.ts", MATH, "long")).await;
    let done = app.wait_final(&third, Duration::from_secs(20)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(chat.calls(), 2);
}

#[tokio::test]
async fn identical_input_reuses_the_earlier_document_without_a_provider_call_sqlite() {
    cached(Driver::Sqlite).await;
}

#[tokio::test]
async fn identical_input_reuses_the_earlier_document_without_a_provider_call_postgres() {
    cached(Driver::Postgres).await;
}

fn limited(f: impl FnOnce(&mut hivesync_core::config::TierLimits)) -> Config {
    let mut c = test_config();
    f(&mut c.tiers.free);
    c
}

#[tokio::test]
async fn token_size_and_rate_limits_answer_413_and_429_with_retry_after() {
    let (_dir, objects) = local();
    let app = spawn_app(
        Driver::Sqlite,
        objects,
        Tier::Free,
        limited(|t| {
            t.ai_docs_max_tokens = 40;
            t.ai_docs_max_file_bytes = 600;
            t.ai_docs_per_hour_per_user = 2;
            t.ai_docs_max_parallel_jobs = 10;
        }),
    )
    .await;
    // 600 bytes of a word o200k_base keeps as one token: small in tokens, too big in bytes.
    let (status, code) =
        error_code(post(&app, &body(&app, "a.ts", &"a".repeat(601), "short")).await).await;
    assert_eq!((status, code.as_str()), (413, "file_too_large"));
    // Under the byte limit but over 40 real tokens.
    let wordy = "export const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];\n";
    assert!(hivesync_docs::tokens::o200k_count(wordy) > 40);
    let (status, code) = error_code(post(&app, &body(&app, "a.ts", wordy, "short")).await).await;
    assert_eq!((status, code.as_str()), (413, "too_many_tokens"));
    // Exactly at the limit passes.
    let small = "export const one = 1;\n";
    accepted(&app, &body(&app, "a.ts", small, "short")).await;
    accepted(&app, &body(&app, "b.ts", small, "short")).await;
    let r = post(&app, &body(&app, "c.ts", small, "short")).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&retry), "{retry}");
    let (status, code) = error_code(r).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));

    let (_dir, objects) = local();
    let app = spawn_app(
        Driver::Sqlite,
        objects,
        Tier::Free,
        limited(|t| {
            t.ai_docs_per_hour_per_user = 100;
            t.ai_docs_per_hour_per_project = 1;
            t.ai_docs_max_parallel_jobs = 10;
        }),
    )
    .await;
    accepted(&app, &body(&app, "a.ts", small, "short")).await;
    let r = post(&app, &body(&app, "a.ts", small, "short")).await;
    assert!(r.headers().contains_key("retry-after"));
    let (status, code) = error_code(r).await;
    assert_eq!((status, code.as_str()), (429, "project_rate_limited"));

    let (_dir, objects) = local();
    let app = spawn_app(
        Driver::Sqlite,
        objects,
        Tier::Free,
        limited(|t| t.ai_docs_max_parallel_jobs = 1),
    )
    .await;
    accepted(&app, &body(&app, "a.ts", small, "short")).await;
    let r = post(&app, &body(&app, "a.ts", small, "short")).await;
    assert_eq!(r.headers()["retry-after"], "5");
    let (status, code) = error_code(r).await;
    assert_eq!((status, code.as_str()), (429, "too_many_parallel_jobs"));
}

#[tokio::test]
async fn ai_docs_callbacks_must_name_the_jobs_own_stored_document() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let worker = "cpu-docs-cb";
    let id = hivesync_core::ids::WorkerId::parse(worker).unwrap();
    app.store
        .register_worker(
            &hivesync_store::workers::Registration {
                id: &id,
                worker_type: WorkerType::Cpu,
                capacity: 1,
                version: "t",
                hostname: "h",
            },
            hivesync_core::clock::now_ms(),
        )
        .await
        .unwrap();
    let job = accepted(&app, &body(&app, "src/math.ts", MATH, "short")).await;
    let routing = hivesync_store::queue::Routing {
        prefer_gpu_for_premium: true,
        gpu_fallback_wait_ms: 0,
        heartbeat_timeout_ms: 120_000,
    };
    let claimed = app
        .store
        .claim(
            &id,
            WorkerType::Cpu,
            &routing,
            60_000,
            hivesync_core::clock::now_ms(),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(claimed.ai_docs.is_some() && claimed.preview.is_none());
    let job_id = claimed.job.id;
    let own = format!("ai-docs/{job_id}.json");
    let cb = |extra: Value| {
        let mut b = json!({"job_id": job_id, "worker_id": worker, "kind": "ai_docs", "status": "succeeded", "tier": "pro", "r2_key": own});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let other = format!("ai-docs/{}.json", hivesync_core::ids::JobId::new_random());
    assert_eq!(
        Signed::new(worker, &cb(json!({"r2_key": other})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        422
    );
    assert_eq!(
        Signed::new(worker, &cb(json!({})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        422,
        "not stored yet"
    );
    objects
        .put(&StorageKey::AiDoc(job_id), bytes::Bytes::from_static(b"{}"))
        .await
        .unwrap();
    assert_eq!(
        Signed::new(worker, &cb(json!({"tier": "free"})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        422
    );
    assert_eq!(
        Signed::new(worker, &cb(json!({"platform": "ios"})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        422
    );
    assert_eq!(
        Signed::new(worker, &cb(json!({"kind": "preview"})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        409
    );
    let kinds = app.security_kinds().await;
    for k in [
        "callback_bad_key",
        "callback_missing_object",
        "callback_mismatch",
        "callback_unknown_job",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }
    assert_eq!(app.status(&job).await["status"], "running");
    assert_eq!(
        Signed::new(worker, &cb(json!({})))
            .send(&app, "/api/v1/worker/callback")
            .await,
        200
    );
    let status = app.status(&job).await;
    assert_eq!(status["status"], "succeeded");
    assert_eq!(status["document_key"], own);
}

/// The local provider through the whole pipeline: the backend counts the file's tokens with the
/// GGUF's own tokenizer, a worker writes the document with the embedded model.
#[cfg(feature = "local-model")]
#[tokio::test]
async fn the_local_model_counts_with_its_own_tokenizer_and_documents_through_the_pipeline() {
    let gguf = hivesync_llm::testing::smollm2_path();
    let mut config = test_config();
    config.ai_docs.free = AiModelChoice {
        provider: AiProvider::Local,
        model: String::new(),
    };
    config.ai_docs.local_model_path = gguf.to_string_lossy().into_owned();
    config.ai_docs.local_max_new_tokens = 12;
    config.ai_docs.min_completeness = 0.0;
    config.ai_docs.min_truthfulness = 0.0;
    config.worker.lease_seconds = 30;
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Free, config).await;
    let _w = app.start_worker("cpu-docs-local", WorkerType::Cpu, objects);
    let src = "export const double = (n: number): number => n * 2;\n";
    let job = accepted(&app, &body(&app, "src/double.ts", src, "short")).await;
    let own = hivesync_llm::GgufTokenizer::load(&gguf)
        .unwrap()
        .count(src)
        .unwrap();
    assert_eq!(job["tokens"].as_u64(), Some(own as u64));
    assert_ne!(
        own,
        hivesync_docs::tokens::o200k_count(src),
        "a different tokenizer than OpenAI's"
    );
    assert_eq!(job["model"], "SmolLM2-135M-Instruct.Q4_1.gguf");
    let status = app.wait_final(&job, Duration::from_secs(120)).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    let doc = &status["document"];
    assert_eq!(doc["provider"]["name"], "local");
    assert_eq!(doc["provider"]["analysis_only"], false);
    assert!(
        doc["provider"]["usage"]["completion_tokens"]
            .as_u64()
            .unwrap()
            <= 24
    );
}
