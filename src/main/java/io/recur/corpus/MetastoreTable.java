package io.recur.corpus;

import io.recur.config.CorpusSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTablePartition;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.hive.HiveExternalCatalog;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of the metastore ({@code corpus.source = table}, {@code corpus.table}): its name, and the
 * files Spark reads for it, which are the corpus fingerprint: every file under the table's
 * location, or under each registered partition's location for a partitioned table, with sizes and
 * modification times ({@link TableFiles}), and {@code corpus.where}. A partition added, a file
 * rewritten or another filter is another corpus; a directory the metastore does not list is not
 * read, so it is not part of it.
 *
 * <p>{@code retrain} fingerprints before it starts Spark, so it asks the metastore through Spark's
 * own Hive client ({@link #files(CorpusSpec, SparkConf)}), built from the job's Spark settings
 * without a Spark context; a training run asks its session's catalog. Both list the same locations.
 */
public final class MetastoreTable {
    private MetastoreTable() {}

    /** The table's files as the running session's catalog lists them. */
    public static TableFiles files(CorpusSpec corpus, SparkSession spark) {
        return files(corpus, spark.sharedState().externalCatalog(), spark.sparkContext().hadoopConfiguration());
    }

    /**
     * The table's files, asking the metastore that {@code conf} configures (its {@code spark.hadoop.*}
     * settings, hive-site.xml on the class path) without starting Spark.
     */
    public static TableFiles files(CorpusSpec corpus, SparkConf conf) {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> setting : conf.getAllWithPrefix("spark.hadoop."))
            hadoop.set(setting._1(), setting._2());
        // Spark's session hands its warehouse to the Hive client the same way (SharedState).
        if (conf.contains("spark.sql.warehouse.dir"))
            hadoop.set("hive.metastore.warehouse.dir", conf.get("spark.sql.warehouse.dir"));
        return files(corpus, new HiveExternalCatalog(conf, hadoop), hadoop);
    }

    static TableFiles files(CorpusSpec corpus, ExternalCatalog catalog, Configuration hadoop) {
        String name = corpus.table().name();
        TableIdentifier id = identifier(name);
        String db = id.database().isDefined() ? id.database().get() : "default";
        if (!catalog.tableExists(db, id.table())) throw unknown(name, db + "." + id.table());
        CatalogTable table = catalog.getTable(db, id.table());
        if (table.tableType().equals(CatalogTableType.VIEW()))
            throw new CorpusException("corpus.table = \"" + name + "\": is a view; name a table, whose files are its"
                    + " location's, or read the view's tables");
        List<String> locations = new ArrayList<>();
        if (table.partitionColumnNames().isEmpty()) {
            locations.add(table.location().toString());
        } else {
            for (CatalogTablePartition p : JavaConverters.seqAsJavaList(catalog.listPartitions(db, id.table(), Option.empty())))
                locations.add(p.location().toString());
        }
        try {
            return TableFiles.of(locations, corpus.table().where(), hadoop);
        } catch (CorpusException e) {
            throw new CorpusException("corpus.table = \"" + name + "\": " + e.getMessage()
                    .replaceFirst("^corpus\\.path(: | )?", ""), e);
        }
    }

    /** {@code db.name} or {@code name}, parsed as Spark SQL parses a table name. */
    static TableIdentifier identifier(String name) {
        try {
            return CatalystSqlParser$.MODULE$.parseTableIdentifier(name);
        } catch (Exception e) {
            throw new CorpusException("corpus.table = \"" + name + "\": not a table name (db.name or name): "
                    + TableSource.firstLine(e));
        }
    }

    static CorpusException unknown(String name, String qualified) {
        return new CorpusException("corpus.table = \"" + name + "\": the metastore has no table " + qualified
                + "; check the name, and that the job reaches the right metastore (hive-site.xml on the class path,"
                + " or spark.conf \"spark.hadoop.hive.metastore.uris\")");
    }
}
