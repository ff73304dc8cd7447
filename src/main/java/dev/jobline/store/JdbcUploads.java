package dev.jobline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uploads of a {@link JdbcJobStore}: the same SQL on every database. Writes go through the
 * store's one writer, so a job's links to its uploads are stored in the transaction of its insert
 * and released in that of its delete. Each write locks an upload's row before it looks at its
 * links, so concurrent nodes see each other's links.
 */
final class JdbcUploads implements UploadStore {
    private static final String COLUMNS = "id, name, size, sha256, content_type, created_at, owner";

    private final JdbcJobStore store;
    private final Dialect dialect;

    JdbcUploads(JdbcJobStore store, Dialect dialect) {
        this.store = store;
        this.dialect = dialect;
    }

    @Override
    public void add(Upload u, Instant expiresAt) {
        store.write(tx -> {
            try (PreparedStatement ps = tx.c().prepareStatement("INSERT INTO uploads (" + COLUMNS + ", expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, u.id());
                ps.setString(2, u.name());
                ps.setLong(3, u.size());
                ps.setString(4, u.sha256());
                ps.setString(5, u.contentType());
                ps.setLong(6, u.createdAt().toEpochMilli());
                ps.setString(7, u.owner());
                ps.setLong(8, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Upload> find(String id) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM uploads WHERE id = ?")) {
                ps.setString(1, id);
                List<Upload> found = readAll(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<Upload> list(String owner, int limit) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM uploads"
                    + (owner == null ? "" : " WHERE owner = ?") + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
                int i = 1;
                if (owner != null) ps.setString(i++, owner);
                ps.setInt(i, limit);
                return readAll(ps);
            }
        });
    }

    @Override
    public Removal remove(String id) {
        return store.write(tx -> {
            Connection c = tx.c();
            if (!lock(c, id)) return Removal.MISSING;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM upload_uses u JOIN jobs j ON j.id = u.job_id"
                    + " WHERE u.upload_id = ? AND j.state IN ('queued', 'running')")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return Removal.IN_USE;
                }
            }
            update(c, "DELETE FROM upload_uses WHERE upload_id = ?", id);
            update(c, "DELETE FROM uploads WHERE id = ?", id);
            return Removal.REMOVED;
        });
    }

    @Override
    public List<Upload> expire(Instant now, int limit) {
        return store.write(tx -> {
            List<Upload> due;
            try (PreparedStatement ps = tx.c().prepareStatement("SELECT " + COLUMNS + " FROM uploads WHERE expires_at <= ? LIMIT ?"
                    + dialect.skipLocked())) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                due = readAll(ps);
            }
            for (Upload u : due) {
                update(tx.c(), "DELETE FROM upload_uses WHERE upload_id = ?", u.id());
                update(tx.c(), "DELETE FROM uploads WHERE id = ?", u.id());
            }
            return due;
        });
    }

    /** In a job's insert, before anything is written: the first of {@code ids} not stored, or null; locks the rows of the others. */
    String firstMissing(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) if (!lock(c, id)) return id;
        return null;
    }

    /** In a job's insert, after {@link #firstMissing}: the job uses these uploads, which no longer expire. */
    static void link(Connection c, String jobId, List<String> ids) throws SQLException {
        for (String id : ids) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_uses (upload_id, job_id) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, jobId);
                ps.executeUpdate();
            }
            update(c, "UPDATE uploads SET expires_at = NULL WHERE id = ?", id);
        }
    }

    /** In a job's delete: an upload the job was the last user of expires at {@code now}. */
    void release(Connection c, String jobId, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT upload_id FROM upload_uses WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        if (ids.isEmpty()) return;
        update(c, "DELETE FROM upload_uses WHERE job_id = ?", jobId);
        for (String id : ids) {
            // why: the row lock first, so the statement below sees a link another node committed meanwhile
            if (!lock(c, id)) continue;
            try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET expires_at = ? WHERE id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM upload_uses WHERE upload_id = ?)")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, id);
                ps.setString(3, id);
                ps.executeUpdate();
            }
        }
    }

    private boolean lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM uploads WHERE id = ?" + dialect.forUpdate())) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void update(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }

    private static List<Upload> readAll(PreparedStatement ps) throws SQLException {
        List<Upload> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Upload(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
            }
        }
        return out;
    }
}
