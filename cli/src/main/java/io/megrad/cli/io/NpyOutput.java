package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of {@code .npy} files, one per result value, row {@code i} of each being point
 * {@code i} (file list in {@link ResultWriter}).
 *
 * <p>Nothing appears before {@link #commit()}. When the directory does not exist yet, everything
 * is written into a hidden temporary directory beside it that is renamed into place at once. When it
 * exists, each file is written under a hidden temporary name in it and renamed onto its name, one
 * after the other; files megrad writes that this run does not (an older run's {@code score.npy})
 * are then removed, so the directory never mixes two runs' arrays once the commit is done.
 */
final class NpyOutput implements ResultOutput {
    /** Every file name an NPY result directory can hold. */
    static final List<String> FILES = List.of("me.npy", "grad.npy", "wrt.json", "status.npy", "subprocess.npy",
            "momenta.npy", "weight.npy", "weight_grad.npy", "weight_grad_wrt.json", "score.npy", "score_wrt.json",
            "hessian.npy", "hessian_wrt.json");
    private static final String F8 = "<f8";
    private static final String INDEX = "subprocess.index";

    private final ResultShape shape;
    private final Path target;
    private final String shownName;
    private final Path work;
    private final boolean fresh;
    private final Map<String, Path> temps = new LinkedHashMap<>();
    private final List<NpyArray> arrays = new ArrayList<>();
    private final Map<String, Integer> subprocesses = new LinkedHashMap<>();
    private NpyArray me;
    private NpyArray grad;
    private NpyArray status;
    private NpyArray subprocessIndex;
    private NpyArray momenta;
    private NpyArray weight;
    private NpyArray weightGrad;
    private NpyArray score;
    private NpyArray hessian;
    private long rows;

    private NpyOutput(ResultShape shape, Path target, String shownName, Path work, boolean fresh) {
        this.shape = shape;
        this.target = target;
        this.shownName = shownName;
        this.work = work;
        this.fresh = fresh;
    }

    /** Opens the result directory {@code outPath}, whose parent must exist. */
    static NpyOutput open(String outPath, ResultShape shape) {
        if (outPath == null || outPath.equals("-")) {
            throw new UsageException("--format npy writes a directory of .npy files: pass -o DIR");
        }
        Path target = Path.of(outPath).toAbsolutePath();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new UsageException("cannot write results to " + outPath + ": it is not a directory (--format npy"
                    + " writes a directory of .npy files)");
        }
        AtomicFiles.checkParent(target, outPath);
        boolean fresh = !Files.exists(target);
        Path work = fresh ? AtomicFiles.createTempDirectory(target.getParent(), target.getFileName().toString(), outPath)
                : target;
        NpyOutput output = new NpyOutput(shape, target, outPath, work, fresh);
        try {
            output.openArrays();
        } catch (IOException | RuntimeException e) {
            output.abandon();
            throw e instanceof IOException io ? AtomicFiles.cannotWrite(outPath, io) : (RuntimeException) e;
        }
        return output;
    }

    private void openArrays() throws IOException {
        me = array("me.npy", F8);
        grad = array("grad.npy", F8, shape.wrt().size());
        if (shape.status()) {
            status = array("status.npy", "|i1");
        }
        if (shape.subprocessPerPoint()) {
            subprocessIndex = array(INDEX, "<i4");
        }
        if (shape.nMomenta() > 0) {
            momenta = array("momenta.npy", F8, shape.nMomenta(), 4);
        }
        if (shape.weight()) {
            weight = array("weight.npy", F8);
        }
        if (shape.weightGrad() != null) {
            weightGrad = array("weight_grad.npy", F8, shape.weightGrad().size());
        }
        if (shape.score() != null) {
            score = array("score.npy", F8, shape.score().size());
        }
        if (shape.hessian() != null) {
            hessian = array("hessian.npy", F8, shape.hessian().size(), shape.hessian().size());
        }
    }

    private NpyArray array(String name, String descr, int... rowShape) throws IOException {
        NpyArray array = new NpyArray(temp(name), name, descr, rowShape);
        arrays.add(array);
        return array;
    }

    /** A new empty file in the work directory that becomes {@code name} on commit. */
    private Path temp(String name) throws IOException {
        Path file;
        if (fresh) {
            file = Files.createFile(work.resolve(name));
            file.toFile().deleteOnExit();
        } else {
            file = AtomicFiles.createTemp(work, name, shownName);
        }
        temps.put(name, file);
        return file;
    }

    @Override
    public void point(long index, PointResult p, boolean finite) {
        try {
            me.putDouble(p.me());
            put(grad, p.grad());
            if (status != null) {
                status.putByte(finite ? (byte) 0 : (byte) 1);
            }
            if (subprocessIndex != null) {
                subprocessIndex.putInt(subprocesses.computeIfAbsent(shape.subprocessOf(p), name -> subprocesses.size()));
            }
            if (momenta != null) {
                for (double[] m : p.momenta()) {
                    put(momenta, m);
                }
            }
            if (weight != null) {
                weight.putDouble(p.weight());
            }
            put(weightGrad, p.weightGrad());
            put(score, p.score());
            if (hessian != null) {
                for (double[] row : p.hessian()) {
                    put(hessian, row);
                }
            }
            rows++;
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(shownName, e);
        }
    }

    private static void put(NpyArray array, double[] values) throws IOException {
        if (array != null) {
            for (double v : values) {
                array.putDouble(v);
            }
        }
    }

    @Override
    public void commit() throws IOException {
        for (NpyArray array : arrays) {
            array.finish(rows);
        }
        if (subprocessIndex != null) {
            writeSubprocessNames();
        }
        json("wrt.json", shape.wrt());
        json("weight_grad_wrt.json", shape.weightGrad());
        json("score_wrt.json", shape.score());
        json("hessian_wrt.json", shape.hessian());
        if (fresh) {
            // One rename: the directory appears with all its files, or not at all.
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        for (Map.Entry<String, Path> file : temps.entrySet()) {
            AtomicFiles.moveOntoTarget(file.getValue(), target.resolve(file.getKey()));
        }
        for (String name : FILES) {
            if (!temps.containsKey(name)) {
                Files.deleteIfExists(target.resolve(name));
            }
        }
    }

    /**
     * {@code subprocess.npy}, numpy's fixed-width unicode strings ({@code <U} + the longest name, in
     * code points, UCS-4 little endian), from the indices written per point: the width is known only
     * once every name has been seen.
     */
    private void writeSubprocessNames() throws IOException {
        List<int[]> names = subprocesses.keySet().stream().map(n -> n.codePoints().toArray()).toList();
        int width = Math.max(1, names.stream().mapToInt(n -> n.length).max().orElse(1));
        NpyArray strings = array("subprocess.npy", "<U" + width);
        Path indexFile = temps.remove(INDEX);
        try (FileChannel in = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            in.position(subprocessIndex.dataOffset());
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            while (in.read(buffer) >= 0 || buffer.position() > 0) {
                buffer.flip();
                while (buffer.remaining() >= 4) {
                    int[] name = names.get(buffer.getInt());
                    for (int i = 0; i < width; i++) {
                        strings.putInt(i < name.length ? name[i] : 0);
                    }
                }
                buffer.compact();
                if (buffer.position() > 0 && in.position() == in.size()) {
                    throw new IOException("subprocess index file has a partial entry");
                }
            }
        }
        strings.finish(rows);
        Files.delete(indexFile);
    }

    private void json(String name, List<String> names) throws IOException {
        if (names != null) {
            StringBuilder text = new StringBuilder();
            JsonText.strings(text, names);
            Files.writeString(temp(name), text.append('\n'), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void abandon() {
        for (NpyArray array : arrays) {
            array.abandon();
        }
        temps.values().forEach(AtomicFiles::deleteQuietly);
        if (fresh && Files.isDirectory(work)) {
            try (Stream<Path> left = Files.walk(work)) {
                left.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
            } catch (IOException ignored) {
                // deleteOnExit gets another chance.
            }
        }
    }

    @Override
    public String shownName() {
        return target.toString();
    }
}
