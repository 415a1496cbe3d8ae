package io.duocrawl.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code duocrawl} command: {@code crawl}, {@code compare}, {@code bench} and {@code fixture
 * serve}. Bad input ends in one line on stderr and exit code 2, never a stack trace; Ctrl-C stops
 * the crawl, writes what was done and exits 130. See docs/cli.md.
 *
 * <pre>{@code
 * duocrawl crawl --engine reactive --concurrency 64 --out pages.jsonl https://example.com/
 * duocrawl bench --engines threads,virtual,reactive --concurrency 16,64,256,1024
 * }</pre>
 */
@Command(
    name = "duocrawl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "A web crawler with three interchangeable engines (platform threads, virtual threads,"
          + " Reactor Netty) over one core, and the tools to compare them."
    },
    subcommands = {
      CrawlCommand.class,
      CompareCommand.class,
      BenchCommand.class,
      FixtureCommand.class,
      FrontierCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  private final Context context;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Main(Context context) {
    this.context = context;
  }

  /**
   * Runs the command line and exits with its exit code. After Ctrl-C it does not call {@code
   * System.exit} (that would block while shutdown hooks run): the JVM is already exiting with 130
   * (SIGINT) or 143 (SIGTERM).
   */
  public static void main(String[] args) {
    Interrupts interrupts = Interrupts.installHook();
    int code = execute(args, System.out, System.err, interrupts, ProgressLine.isTerminal());
    interrupts.finished();
    if (!interrupts.interrupted()) {
      System.exit(code);
    }
  }

  /**
   * Runs a command line in this JVM and returns its exit code; output goes to {@code out} and
   * {@code err}. For tests and for embedding.
   */
  static int execute(
      String[] args, PrintStream out, PrintStream err, Interrupts interrupts, boolean terminal) {
    Context context = new Context(out, err, interrupts, terminal);
    CommandLine cl = new CommandLine(new Main(context));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(
        (e, line, parseResult) -> {
          if (e instanceof UsageException || e instanceof ParameterException) {
            line.getErr().println("duocrawl: " + e.getMessage());
            return ExitCode.USAGE;
          }
          line.getErr().println("duocrawl: error: " + describe(e));
          if (System.getenv("DUOCRAWL_DEBUG") != null) {
            e.printStackTrace(line.getErr());
          }
          return ExitCode.FAILURE;
        });
    exitCodeHelp(cl);
    return cl.execute(args);
  }

  /** Prints usage when no subcommand is given: that is a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  Context context() {
    return context;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    line.getErr()
        .println(
            "duocrawl: "
                + e.getMessage()
                + " (see 'duocrawl "
                + (line.getCommandSpec().qualifiedName().replaceFirst("^duocrawl ?", "")
                        + " --help")
                    .strip()
                + "')");
    return ExitCode.USAGE;
  }

  private static void exitCodeHelp(CommandLine cl) {
    Map<String, String> codes = new LinkedHashMap<>();
    for (String entry : ExitCode.HELP) {
      int colon = entry.indexOf(':');
      codes.put(entry.substring(0, colon), entry.substring(colon + 1));
    }
    cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    cl.getSubcommands().values().forEach(Main::exitCodeHelp);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && (message == null || message.isBlank())) {
      message = cause.getMessage();
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * What a command needs from its surroundings, so tests can run it in-process.
   *
   * @param out standard output
   * @param err standard error
   * @param interrupts Ctrl-C handling
   * @param terminal whether stderr is a terminal (the live progress line is drawn only then)
   */
  record Context(PrintStream out, PrintStream err, Interrupts interrupts, boolean terminal) {}

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"duocrawl " + (v == null ? "dev" : v)};
    }
  }
}
