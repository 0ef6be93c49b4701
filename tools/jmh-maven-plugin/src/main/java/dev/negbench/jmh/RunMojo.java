package dev.negbench.jmh;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Runs the JMH benchmarks compiled into the test output directory in a forked JVM.
 *
 * <p>The benchmarks are compiled as test sources (so the JMH annotation processor writes
 * {@code META-INF/BenchmarkList} into {@code target/test-classes}); this goal forks
 * {@code org.openjdk.jmh.Main} on the test class path instead of building an uber-jar.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
@Execute(phase = LifecyclePhase.TEST_COMPILE)
public class RunMojo extends AbstractMojo {

    /** JMH options that list or explain instead of running benchmarks. */
    private static final Set<String> LISTING = Set.of("-l", "-lp", "-lrf", "-lprof", "-h");

    /** Iteration settings of the {@code quick} profile: a smoke run, not a measurement. */
    private static final List<String> QUICK = List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** Java launcher; defaults to the JVM running Maven. */
    @Parameter(property = "jmh.jvm")
    private String jvm;

    /** Lucene 10 needs the incubating Vector API and native access on JDK 21+. */
    @Parameter(property = "jmh.jvmArgs",
            defaultValue = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g")
    private String jvmArgs;

    /** Benchmark regex; empty runs all benchmarks. */
    @Parameter(property = "jmh.include")
    private String include;

    /** {@code quick} (short smoke settings) or {@code full} (the benchmarks' own annotations). */
    @Parameter(property = "jmh.profile", defaultValue = "quick")
    private String profile;

    /** Parameter overrides, {@code name=v1,v2;name2=v3}; each becomes {@code -p name=values}. */
    @Parameter(property = "jmh.params")
    private String params;

    /** Extra JMH arguments, appended verbatim (whitespace-separated). */
    @Parameter(property = "jmh.args")
    private String args;

    /** JSON result file; defaults to {@code results/jmh/jmh-<profile>.json} under the project. */
    @Parameter(property = "jmh.resultFile")
    private File resultFile;

    /** List the matching benchmarks instead of running them. */
    @Parameter(property = "jmh.list", defaultValue = "false")
    private boolean list;

    @Parameter(property = "jmh.skip", defaultValue = "false")
    private boolean skip;

    /** A main class run on the result file after a successful run (empty: none). */
    @Parameter(property = "jmh.summaryClass", defaultValue = "dev.negbench.bench.JmhSummary")
    private String summaryClass;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("JMH run skipped (jmh.skip=true)");
            return;
        }
        profile = profile == null ? "quick" : profile.trim();
        Path testClasses = Path.of(project.getBuild().getTestOutputDirectory());
        if (!Files.isRegularFile(testClasses.resolve("META-INF/BenchmarkList"))) {
            // javac 23+ no longer discovers processors on the class path, so a missing
            // processor path silently yields zero benchmarks; say so instead of "no matches".
            throw new MojoExecutionException("No META-INF/BenchmarkList in " + testClasses
                    + ": the JMH annotation processor did not run. Add org.openjdk.jmh:jmh-generator-annprocess"
                    + " to annotationProcessorPaths of the maven-compiler-plugin default-testCompile execution"
                    + " (and make sure there is at least one @Benchmark under src/jmh/java).");
        }

        List<String> extra = split(args);
        List<String> jmhArgs = new ArrayList<>();
        if (!isBlank(include)) {
            jmhArgs.add(include.trim());
        }
        Path target = null;
        Path partial = null;
        if (list || extra.stream().anyMatch(LISTING::contains)) {
            // Only listing or help (jmh.list, or -l, -lp, -lrf, -lprof, -h in jmh.args): nothing
            // runs, so no result file is written or expected.
            if (list) {
                jmhArgs.add("-l");
            }
        } else {
            jmhArgs.addAll(profileArgs(extra));
            jmhArgs.addAll(paramArgs());
            // A failed JMH run still leaves an (empty) result file behind; writing to a side file
            // and renaming on success keeps the previous results intact.
            target = (resultFile != null ? resultFile.toPath()
                    : project.getBasedir().toPath().resolve("results/jmh/jmh-" + profile + ".json")).toAbsolutePath();
            partial = target.resolveSibling(target.getFileName() + ".part");
            try {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot prepare result directory " + target.getParent(), e);
            }
            // -foe: a benchmark that throws must fail the build, not just print a stack trace.
            jmhArgs.addAll(List.of("-foe", "true", "-rf", "json", "-rff", partial.toString()));
        }
        jmhArgs.addAll(extra);

        List<String> command = new ArrayList<>();
        command.add(isBlank(jvm) ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : jvm);
        command.addAll(split(jvmArgs));
        command.add("-cp");
        command.add(classpath());
        command.add("org.openjdk.jmh.Main");
        command.addAll(jmhArgs);
        getLog().info("Running: " + command.stream().map(RunMojo::quote).collect(Collectors.joining(" ")));

        int exit = fork(command);
        if (exit != 0) {
            deleteQuietly(partial);
            throw new MojoExecutionException("JMH exited with code " + exit
                    + (partial != null ? "; no result file written" : ""));
        }
        if (partial != null) {
            if (!Files.isRegularFile(partial)) {
                throw new MojoExecutionException("JMH exited normally but wrote no result file " + partial);
            }
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot move " + partial + " to " + target, e);
            }
            getLog().info("JMH results: " + target);
            summarize(target);
        }
    }

    /**
     * Options of the profile, minus any the user also passes in jmh.args: JMH rejects an option
     * given twice, and the user's explicit value should win.
     */
    private List<String> profileArgs(List<String> extra) throws MojoExecutionException {
        return switch (profile) {
            case "full" -> List.of();
            case "quick" -> {
                Set<String> overridden = Set.copyOf(extra);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < QUICK.size(); i += 2) {
                    if (!overridden.contains(QUICK.get(i))) {
                        out.addAll(QUICK.subList(i, i + 2));
                    }
                }
                yield out;
            }
            default -> throw new MojoExecutionException("Unknown jmh.profile '" + profile
                    + "': use 'quick' (-f 1 -wi 2 -w 1s -i 3 -r 1s) or 'full' (annotation settings)");
        };
    }

    private List<String> paramArgs() throws MojoExecutionException {
        List<String> out = new ArrayList<>();
        if (isBlank(params)) {
            return out;
        }
        for (String entry : params.split(";")) {
            String p = entry.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new MojoExecutionException("Bad jmh.params entry '" + p + "': expected name=v1,v2[;name2=v3]");
            }
            out.add("-p");
            out.add(p.substring(0, eq).trim() + "=" + p.substring(eq + 1).trim());
        }
        return out;
    }

    private String classpath() throws MojoExecutionException {
        try {
            // Test class path = test-classes, classes, then every test-scope dependency (jmh-core).
            return String.join(File.pathSeparator, project.getTestClasspathElements());
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Test dependencies are not resolved", e);
        }
    }

    private int fork(List<String> command) throws MojoExecutionException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.getBasedir()).inheritIO();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot start " + command.get(0), e);
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            // Don't leave a benchmark burning CPU after Maven itself gave up.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Interrupted while waiting for JMH", e);
        }
    }

    /**
     * Prints the project's derived numbers (variant/baseline ratios, share of GEMM peak) by running
     * {@code summaryClass} on the result file, when the project has such a class. A failure here
     * does not fail the run: the measurements are already saved.
     */
    private void summarize(Path results) throws MojoExecutionException {
        if (isBlank(summaryClass)) {
            return;
        }
        Path compiled = Path.of(project.getBuild().getTestOutputDirectory(), summaryClass.replace('.', '/') + ".class");
        if (!Files.isRegularFile(compiled)) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(isBlank(jvm) ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : jvm);
        command.add("-cp");
        command.add(classpath());
        command.add(summaryClass);
        command.add(results.toString());
        int exit = fork(command);
        if (exit != 0) {
            getLog().warn(summaryClass + " exited with code " + exit + "; the results in " + results + " are complete");
        }
    }

    private void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            getLog().warn("Could not delete partial result file " + file + ": " + e.getMessage());
        }
    }

    private static List<String> split(String s) {
        return isBlank(s) ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Quote for the log only, so the logged line can be pasted into a shell. */
    private static String quote(String s) {
        return s.isEmpty() || s.matches(".*[\\s'\"$;|&<>*?()\\\\].*") ? "'" + s.replace("'", "'\\''") + "'" : s;
    }
}
