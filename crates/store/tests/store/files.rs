//! A project's file set: full sets and deltas.

use super::*;
use hivesync_store::files::FileSize;

conformance!(
    project_files_take_full_sets_and_deltas,
    |store: Store| async move {
        let (_, project) = user_and_project(&store, Tier::Pro).await;
        let f = |p: &str, c: &str| TextFile::new(p, c);
        let set = store
            .update_project_files(
                project.id,
                true,
                &[f("App.tsx", "a"), f("b.ts", "b")],
                &[],
                100,
                T0,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set.len(), 2);
        let set = store
            .update_project_files(
                project.id,
                false,
                &[f("App.tsx", "a2"), f("c.ts", "c")],
                &["b.ts".into()],
                100,
                T0,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set, vec![f("App.tsx", "a2"), f("c.ts", "c")]);
        let set = store
            .update_project_files(project.id, true, &[f("x.ts", "x")], &[], 100, T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set, vec![f("x.ts", "x")]);
        // Sizes are bytes, not characters, on both databases.
        store
            .update_project_files(project.id, false, &[f("é.ts", "héé")], &[], 100, T0)
            .await
            .unwrap()
            .unwrap();
        // A binary file keeps its encoding, and its size is the decoded one.
        let png = TextFile::binary("logo.png", b"\x89PNG\r\n\x1a\nabcd");
        store
            .update_project_files(project.id, false, std::slice::from_ref(&png), &[], 100, T0)
            .await
            .unwrap()
            .unwrap();
        let size = |path: &str, bytes: u64, binary: bool| FileSize {
            path: path.into(),
            bytes,
            binary,
        };
        assert_eq!(
            store.project_file_sizes(project.id).await.unwrap(),
            vec![
                size("logo.png", 12, true),
                size("x.ts", 1, false),
                size("é.ts", 5, false)
            ]
        );
        assert!(
            store
                .project_files(project.id)
                .await
                .unwrap()
                .contains(&png)
        );
        store
            .update_project_files(project.id, false, &[], &["logo.png".into()], 100, T0)
            .await
            .unwrap()
            .unwrap();
        store
            .update_project_files(project.id, false, &[], &["é.ts".into()], 100, T0)
            .await
            .unwrap()
            .unwrap();
        // Over the file limit: refused, nothing written.
        let over = store
            .update_project_files(project.id, false, &[f("y.ts", "y")], &[], 1, T0)
            .await
            .unwrap();
        assert_eq!(over, Err(2));
        assert_eq!(
            store.project_files(project.id).await.unwrap(),
            vec![f("x.ts", "x")]
        );
        // Concurrent deltas of one project each apply to what the previous one left.
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let store = store.clone();
                let file = f(&format!("d{i}.ts"), "d");
                tokio::spawn(async move {
                    store
                        .update_project_files(project.id, false, &[file], &[], 100, T0)
                        .await
                        .unwrap()
                        .unwrap()
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(store.project_files(project.id).await.unwrap().len(), 11);
    }
);
