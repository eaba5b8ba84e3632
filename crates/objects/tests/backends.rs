//! The same behaviour on every backend: memory, a local folder, and a real S3-compatible
//! server (s3s-fs, which checks SigV4 signatures and `If-None-Match` as R2 does).
//!
//! The S3 server is found at `HIVESYNC_TEST_S3_ENDPOINT` (default `http://127.0.0.1:8014`)
//! with the bucket `HIVESYNC_TEST_S3_BUCKET` (default `hivesync-test`) and the credentials
//! `HIVESYNC_TEST_S3_ACCESS_KEY` / `HIVESYNC_TEST_S3_SECRET_KEY`; `scripts/test` starts it.
//! A server that does not answer fails these tests: they are never skipped.

use std::time::Duration;

use bytes::Bytes;
use hivesync_core::Secret;
use hivesync_core::ids::{AssetId, JobId, ScreenId, SessionId};
use hivesync_core::media::MediaType;
use hivesync_core::storage_keys::StorageKey;
use hivesync_objects::{Objects, ObjectsError, S3Settings};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn s3_settings() -> S3Settings {
    S3Settings {
        endpoint: env_or("HIVESYNC_TEST_S3_ENDPOINT", "http://127.0.0.1:8014"),
        region: "auto".into(),
        bucket: env_or("HIVESYNC_TEST_S3_BUCKET", "hivesync-test"),
        access_key_id: Secret::new(env_or("HIVESYNC_TEST_S3_ACCESS_KEY", "hivesync-test")),
        secret_access_key: Secret::new(env_or(
            "HIVESYNC_TEST_S3_SECRET_KEY",
            "hivesync-test-secret",
        )),
        path_style: true,
        allow_http: true,
        timeout: Duration::from_secs(10),
    }
}

fn fresh_screen() -> ScreenId {
    ScreenId::parse(&format!(
        "t{}",
        JobId::new_random().to_string().replace('-', "")
    ))
    .unwrap()
}

async fn round_trip(store: Objects) {
    store.ping().await.expect("store answers");
    let screen = fresh_screen();
    let layout = StorageKey::PreviewLayout(screen.clone());
    assert!(!store.exists(&layout).await.unwrap());
    assert!(matches!(
        store.get(&layout).await,
        Err(ObjectsError::NotFound(_))
    ));
    store
        .put(&layout, Bytes::from_static(b"{\"v\":1}"))
        .await
        .unwrap();
    assert!(store.exists(&layout).await.unwrap());
    assert_eq!(
        store.get(&layout).await.unwrap(),
        Bytes::from_static(b"{\"v\":1}")
    );
    store
        .put(&layout, Bytes::from_static(b"{\"v\":2}"))
        .await
        .unwrap();
    assert_eq!(
        store.get(&layout).await.unwrap(),
        Bytes::from_static(b"{\"v\":2}")
    );

    // Content-addressed assets are written once: a second create is refused and changes nothing.
    let asset = StorageKey::PreviewAsset(
        screen,
        AssetId::parse("0123456789abcdef0123456789abcdef").unwrap(),
        MediaType::Png,
    );
    store
        .put_new(&asset, Bytes::from_static(b"png-1"))
        .await
        .unwrap();
    let again = store.put_new(&asset, Bytes::from_static(b"png-2")).await;
    assert!(
        matches!(again, Err(ObjectsError::AlreadyExists(_))),
        "{again:?}"
    );
    assert_eq!(
        store.get(&asset).await.unwrap(),
        Bytes::from_static(b"png-1")
    );

    let (size, mut stream) = store.get_stream(&asset).await.unwrap();
    assert_eq!(size, 5);
    let mut all = Vec::new();
    while let Some(chunk) = futures::StreamExt::next(&mut stream).await {
        all.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(all, b"png-1");

    let session = SessionId::new_random();
    let log = StorageKey::PreviewLog(session, 1_700_000_000_000);
    let later = StorageKey::PreviewLog(session, 1_700_000_000_500);
    let other = StorageKey::PreviewLog(SessionId::new_random(), 1_700_000_000_000);
    for k in [&log, &later, &other] {
        store.put(k, Bytes::from_static(b"[]")).await.unwrap();
    }
    // A session's folder lists its batches and no other session's.
    let mut listed = store
        .list(&format!("logs/preview/{session}/"))
        .await
        .unwrap();
    listed.sort_by_key(|k| k.as_path());
    assert_eq!(listed, vec![log.clone(), later.clone()]);
    for k in [&later, &other] {
        store.delete(k).await.unwrap();
    }
    store.delete(&log).await.unwrap();
    assert!(!store.exists(&log).await.unwrap());
    store.delete(&log).await.unwrap();
}

#[tokio::test]
async fn memory_backend_round_trips() {
    round_trip(Objects::memory()).await;
}

#[tokio::test]
async fn local_backend_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Objects::local(&dir.path().join("objects")).unwrap();
    round_trip(store).await;
    assert!(
        dir.path().join("objects/previews").is_dir(),
        "keys become folders under the root"
    );
}

#[tokio::test]
async fn s3_backend_round_trips_against_a_real_server() {
    round_trip(Objects::s3(&s3_settings()).unwrap()).await;
}

#[tokio::test]
async fn s3_presigned_urls_work_and_expire_in_the_signature() {
    let store = Objects::s3(&s3_settings()).unwrap();
    let key = StorageKey::PreviewLayout(fresh_screen());
    store.put(&key, Bytes::from_static(b"hello")).await.unwrap();
    let url = store
        .presigned_get(&key, Duration::from_secs(60))
        .await
        .unwrap()
        .expect("s3 presigns");
    assert!(url.contains("X-Amz-Expires=60"), "{url}");
    let body = reqwest::get(&url).await.unwrap();
    assert_eq!(body.status(), 200);
    // Written with its type, so a presigned URL serves it as what it is.
    assert_eq!(body.headers()["content-type"], "application/json");
    assert_eq!(body.bytes().await.unwrap(), Bytes::from_static(b"hello"));
    let png = StorageKey::PreviewAsset(
        fresh_screen(),
        AssetId::parse("0123456789abcdef0123456789abcdef").unwrap(),
        MediaType::Png,
    );
    store
        .put_new(&png, Bytes::from_static(b"\x89PNG\r\n\x1a\n"))
        .await
        .unwrap();
    let png_url = store
        .presigned_get(&png, Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let got = reqwest::get(&png_url).await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    // A tampered signature is refused by the server.
    let tampered = url.replace("X-Amz-Expires=60", "X-Amz-Expires=6000");
    assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);
    assert!(
        Objects::memory()
            .presigned_get(&key, Duration::from_secs(60))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn s3_with_wrong_credentials_is_refused() {
    let mut settings = s3_settings();
    settings.secret_access_key = Secret::new("not-the-secret");
    let store = Objects::s3(&settings).unwrap();
    let err = store
        .put(
            &StorageKey::PreviewLayout(fresh_screen()),
            Bytes::from_static(b"x"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ObjectsError::Unavailable(_)), "{err:?}");
    assert!(!err.to_string().contains("not-the-secret"));
}

#[tokio::test]
async fn s3_that_is_down_fails_ping_with_a_clear_error() {
    let mut settings = s3_settings();
    settings.endpoint = "http://127.0.0.1:9".into();
    let store = Objects::s3(&settings).unwrap();
    assert!(matches!(
        store.ping().await,
        Err(ObjectsError::Unavailable(_))
    ));
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let mut settings = s3_settings();
    settings.allow_http = false;
    let store = Objects::s3(&settings).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt.block_on(store.put(
        &StorageKey::PreviewLayout(fresh_screen()),
        Bytes::from_static(b"x"),
    ));
    assert!(
        r.is_err(),
        "an http:// endpoint must not be used when allow_http is false"
    );
}
