package dev.jobline.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the databases a {@link JdbcJobStore} runs on, each in a few lines: how the
 * schema is migrated, where feed positions come from, and the locking words of a claim.
 */
interface Dialect {

    /** The folder of this database's migrations under {@code /db}, and its name in messages. */
    String name();

    /** Whether one process owns the database alone (see {@link JobStore#exclusive()}). */
    boolean exclusive();

    /** Brings the schema up to date; safe when several nodes start at once. */
    void migrate(Connection c) throws SQLException;

    /** Called first in every write transaction: the first feed position it may use ({@code lastWritten} is the writer's last). */
    long firstPosition(Connection c, long lastWritten) throws SQLException;

    /** Called last in a write transaction that used positions up to {@code last} (none when {@code wrote} is false). */
    void beforeCommit(Connection c, long last, boolean wrote) throws SQLException;

    /**
     * The newest position no later commit can still fill, read in {@code c}'s transaction;
     * {@code published} is the newest this node has told its subscribers of.
     */
    long horizon(Connection c, long published) throws SQLException;

    /** Words after a claim's SELECT, so concurrent claims skip each other's rows. */
    String skipLocked();

    /** Words after a SELECT whose rows the same transaction then updates. */
    String forUpdate();

    /** Holds a declared queue for the rest of the transaction, so concurrent claims count its running jobs one at a time. */
    default void lockQueue(Connection c, String queue) throws SQLException {
        // one writer at a time already: nothing to do
    }

    /**
     * Words after a table name that make a query use {@code index}, where the planner might pick
     * another without statistics (SQLite before ANALYZE); empty where the planner is trusted.
     */
    default String indexedBy(String index) {
        return "";
    }
}
