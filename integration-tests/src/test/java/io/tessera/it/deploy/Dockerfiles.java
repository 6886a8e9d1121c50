package io.tessera.it.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks of a Dockerfile against its build context. */
final class Dockerfiles {
    private Dockerfiles() {}

    /**
     * Every source of a {@code COPY} or {@code ADD} from the build context (not {@code --from} another stage) must
     * exist in the context.
     */
    static List<String> missingSources(Path dockerfile, Path context) throws IOException {
        List<String> problems = new ArrayList<>();
        String text = Files.readString(dockerfile).replaceAll("\\\\\\n", " ");
        for (String line : text.split("\n")) {
            List<String> words = List.of(line.strip().split("\\s+"));
            if (words.isEmpty() || !(words.get(0).equalsIgnoreCase("COPY") || words.get(0).equalsIgnoreCase("ADD"))) {
                continue;
            }
            List<String> operands = words.subList(1, words.size()).stream().filter(w -> !w.startsWith("--")).toList();
            if (words.stream().anyMatch(w -> w.startsWith("--from=")) || operands.size() < 2) {
                continue;
            }
            for (String source : operands.subList(0, operands.size() - 1)) {
                if (!Files.exists(context.resolve(source).normalize())) {
                    problems.add(dockerfile + ": " + words.get(0) + " source " + source + " does not exist in the build "
                            + "context " + context);
                }
            }
        }
        return problems;
    }
}
