package io.recur.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A real HDFS (one NameNode, N DataNodes, each its own RPC server) in one process, for
 * {@code dev/cluster} and the cluster tests: it lives in the test sources so it never ships
 * in the job jar. Once HDFS is up it writes its {@code hdfs://127.0.0.1:PORT} URI to the URI file
 * (atomically, so a reader never sees half of it), then serves until the process is stopped;
 * SIGTERM shuts the cluster down cleanly.
 *
 * <pre>java -cp TEST_CLASSPATH io.recur.cluster.LocalHdfs DATA_DIR URI_FILE [DATANODES] [NAMENODE_PORT]</pre>
 * A NAMENODE_PORT of 0 (the default) lets the NameNode choose a free port.
 */
public final class LocalHdfs {
    private LocalHdfs() {}

    /**
     * Starts HDFS in this process with its data under {@code dataDir}; a {@code nameNodePort} of 0
     * lets the NameNode choose a free port.
     */
    public static MiniDFSCluster start(Path dataDir, int dataNodes, int nameNodePort) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dataDir.toString());
        // Every daemon on the loopback interface: nothing of a test cluster is reachable from outside.
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        // Each block on two DataNodes when there are two: losing one must not lose data.
        conf.setInt("dfs.replication", Math.min(dataNodes, 2));
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf)
                .numDataNodes(dataNodes)
                .nameNodePort(nameNodePort)
                .nameNodeHttpPort(0)
                .build();
        hdfs.waitActive();
        return hdfs;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: LocalHdfs DATA_DIR URI_FILE [DATANODES] [NAMENODE_PORT]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        Path uriFile = Path.of(args[1]).toAbsolutePath();
        int dataNodes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int nameNodePort = args.length > 3 ? Integer.parseInt(args[3]) : 0;

        MiniDFSCluster hdfs = start(dataDir, dataNodes, nameNodePort);
        Runtime.getRuntime().addShutdownHook(new Thread(hdfs::shutdown, "hdfs-shutdown"));

        String uri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        Path partial = uriFile.resolveSibling(uriFile.getFileName() + ".partial");
        Files.writeString(partial, uri + "\n", StandardCharsets.UTF_8);
        Files.move(partial, uriFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("HDFS serving at " + uri + " (data under " + dataDir + ")");
        Thread.currentThread().join();
    }
}
