package dev.warden.dsl.ast;

import java.util.List;
import java.util.Optional;

/** One parsed policy file. */
public record PolicyFile(String path, Optional<String> packageName, Optional<String> title, List<Decl> decls, Span span) {

    public PolicyFile { decls = List.copyOf(decls); }

    public List<Decl.Param> params() { return decls.stream().filter(Decl.Param.class::isInstance).map(Decl.Param.class::cast).toList(); }

    public List<Decl.Control> controls() { return decls.stream().filter(Decl.Control.class::isInstance).map(Decl.Control.class::cast).toList(); }

    public List<Decl.Authorize> authorizations() { return decls.stream().filter(Decl.Authorize.class::isInstance).map(Decl.Authorize.class::cast).toList(); }

    public List<Decl.Test> tests() { return decls.stream().filter(Decl.Test.class::isInstance).map(Decl.Test.class::cast).toList(); }
}
