-- A project file may be binary (an image or font the app loads): its content is then the bytes
-- in standard padded base64, checked by the backend before it is stored (see
-- hivesync_core::media). Text files keep 'utf-8'.
ALTER TABLE project_files ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8'
    CHECK (encoding IN ('utf-8', 'base64'));
