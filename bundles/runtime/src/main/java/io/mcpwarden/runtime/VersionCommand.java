package io.mcpwarden.runtime;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code warden version}: product, Java and framework versions. */
@Command(name = "version", header = "Print product, Java and framework versions.",
        usageHelpAutoWidth = true,
        description = {"Prints the product version, the Java runtime, the OSGi framework and the number of "
                + "installed bundles (and how many are active)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:always"},
        footerHeading = "%nExamples:%n",
        footer = {"  warden version"})
final class VersionCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;

    @ParentCommand
    WardenCommand parent;

    @Override
    public Integer call() {
        for (String line : lines(parent.env)) {
            parent.env.out().println(line);
        }
        return ExitCodes.OK;
    }

    static String[] lines(CliEnv env) {
        CliEnv.FrameworkFacts f = env.facts();
        return new String[]{
            "MCP Warden " + f.productVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("java.vendor") + ")",
            f.frameworkName() + " " + f.frameworkVersion(),
            "bundles " + f.bundles() + " (" + f.activeBundles() + " active)",
            "home " + env.home()};
    }

    /** Answers {@code warden --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public String[] getVersion() {
            Object cmd = spec.root().userObject();
            return cmd instanceof WardenCommand w ? lines(w.env) : new String[]{"MCP Warden"};
        }
    }
}
