grammar Warden;

@header { }

// ---------------------------------------------------------------- files
file        : packageDecl? titleDecl? declaration* EOF ;
packageDecl : PACKAGE qname ;
titleDecl   : TITLE str ;
qname       : ident (DOT ident)* ;
standaloneExpr : expr EOF ;
declaration : paramDecl | controlDecl | testDecl | authorizeDecl ;

paramDecl   : PARAM ident (COLON typeRef)? ASSIGN expr str? ;
typeRef     : ident (LT typeRef GT)? ;

controlDecl : CONTROL controlId str LBRACE controlItem* RBRACE ;
controlId   : CONTROL_ID | ident ;
controlItem
    : SEVERITY ident                                          # severityItem
    | TAGS LBRACK (tag (COMMA tag)* COMMA?)? RBRACK           # tagsItem
    | DESCRIPTION str                                         # descriptionItem
    | REMEDIATION str                                         # remediationItem
    | REFERENCES LBRACK (str (COMMA str)* COMMA?)? RBRACK     # referencesItem
    | FOR ident IN expr (WHERE expr)?                         # forItem
    | WHEN expr                                               # whenItem
    | LET ident ASSIGN expr                                   # letItem
    | kind=(REQUIRE | FORBID) expr (ELSE str)?                # checkItem
    ;
tag         : ident | CONTROL_ID | str ;

testDecl    : TEST str LBRACE testItem* RBRACE ;
testItem
    : GIVEN ident LBRACE givenEntry* RBRACE                   # givenItem
    | WITH ident ASSIGN expr                                  # withItem
    | EXPECT verdict=(ALLOW | DENY) authzAction str? testOption* (AS LBRACE givenEntry* RBRACE)? # expectDecisionItem
    | EXPECT ident controlId (AT str)? (COUNT INT)?           # expectItem
    ;
authzAction : CONNECT | ident ;
testOption
    : QOS INT                                                 # testQos
    | RETAIN (TRUE | FALSE)                                   # testRetain
    | ident SIZE                                              # testPayload
    ;
givenEntry  : ident str+ ;

// ---------------------------------------------------------------- runtime authorization
authorizeDecl : AUTHORIZE ident str? LBRACE authzItem* RBRACE ;
authzItem
    : DEFAULT ident                                           # defaultItem
    | CONNECT kind=(REQUIRE | FORBID) expr (ELSE str)?        # connectItem
    | effect=(ALLOW | DENY) ident str authzOption* (WHEN expr)? # ruleItem
    | LIMIT ident (PER ident)? limitValue (BURST limitValue)? (THEN ident)? # limitItem
    ;
authzOption
    : QOS INT (DOTDOT INT)?                                   # qosOption
    | RETAIN (TRUE | FALSE)                                   # retainOption
    ;
limitValue  : RATE | SIZE | INT ;

// ---------------------------------------------------------------- expressions
expr        : orExpr ;
orExpr      : andExpr (OR andExpr)* ;
andExpr     : notExpr (AND notExpr)* ;
// A quantifier's body reaches as far right as it can, so a quantifier is not an operand of a comparison
// (`any x in xs: x.port == 1` compares inside the body); parenthesize it to compare its result.
notExpr     : NOT notExpr | quantifier | predicate ;
quantifier  : quant=(ANY | ALL | NONE) ident IN operand (WHERE expr)? COLON expr ;
// left-factored, so that the parser decides after the first operand and reports errors inside it where they are
predicate   : operand predicateTail? ;
predicateTail
    : op=(EQ | NE | LT | LE | GT | GE) operand                # compare
    | NOT? IN operand                                         # membership
    | op=(WITHIN | OVERLAPS | CONTAINS | MATCHES) operand     # relation
    | IS NOT? ident                                           # isTest
    ;
operand     : primary (DOT ident)* ;
primary
    : literal                                                 # literalExpr
    | COUNT LPAREN ident IN operand (WHERE expr)? RPAREN      # countExpr
    | ident LPAREN (expr (COMMA expr)*)? RPAREN               # callExpr
    | ident                                                   # nameExpr
    | LPAREN expr RPAREN                                      # parenExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK              # listExpr
    ;
literal
    : str                                                     # stringLit
    | INT DOTDOT INT                                          # rangeLit
    | INT                                                     # intLit
    | SIZE                                                    # sizeLit
    | DURATION                                                # durationLit
    | CIDR4                                                   # cidrLit
    | (TRUE | FALSE)                                          # boolLit
    ;
str         : STRING | TSTRING ;

// soft keywords: usable as field and variable names
ident
    : IDENT | PACKAGE | TITLE | PARAM | CONTROL | SEVERITY | TAGS | DESCRIPTION | REMEDIATION | REFERENCES
    | WHERE | WHEN | LET | REQUIRE | FORBID | ELSE | TEST | GIVEN | WITH | EXPECT | AT | WITHIN | OVERLAPS
    | CONTAINS | MATCHES | ANY | ALL | NONE | COUNT
    | AUTHORIZE | DEFAULT | CONNECT | ALLOW | DENY | LIMIT | PER | BURST | THEN | QOS | RETAIN | AS
    ;

// ---------------------------------------------------------------- lexer
PACKAGE     : 'package' ;
TITLE       : 'title' ;
PARAM       : 'param' ;
CONTROL     : 'control' ;
SEVERITY    : 'severity' ;
TAGS        : 'tags' ;
DESCRIPTION : 'description' ;
REMEDIATION : 'remediation' ;
REFERENCES  : 'references' ;
FOR         : 'for' ;
IN          : 'in' ;
WHERE       : 'where' ;
WHEN        : 'when' ;
LET         : 'let' ;
REQUIRE     : 'require' ;
FORBID      : 'forbid' ;
ELSE        : 'else' ;
TEST        : 'test' ;
GIVEN       : 'given' ;
WITH        : 'with' ;
EXPECT      : 'expect' ;
AT          : 'at' ;
AND         : 'and' ;
OR          : 'or' ;
NOT         : 'not' ;
IS          : 'is' ;
WITHIN      : 'within' ;
OVERLAPS    : 'overlaps' ;
CONTAINS    : 'contains' ;
MATCHES     : 'matches' ;
ANY         : 'any' ;
ALL         : 'all' ;
NONE        : 'none' ;
COUNT       : 'count' ;
TRUE        : 'true' ;
AUTHORIZE   : 'authorize' ;
DEFAULT     : 'default' ;
CONNECT     : 'connect' ;
ALLOW       : 'allow' ;
DENY        : 'deny' ;
LIMIT       : 'limit' ;
PER         : 'per' ;
BURST       : 'burst' ;
THEN        : 'then' ;
QOS         : 'qos' ;
RETAIN      : 'retain' ;
AS          : 'as' ;
FALSE       : 'false' ;

EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
ASSIGN : '=' ; DOTDOT : '..' ; DOT : '.' ; COMMA : ',' ; COLON : ':' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACE : '{' ; RBRACE : '}' ; LBRACK : '[' ; RBRACK : ']' ;

CIDR4       : DIGITS '.' DIGITS '.' DIGITS '.' DIGITS ('/' DIGITS)? ;
RATE        : DIGITS ('B' | 'KB' | 'MB' | 'GB' | 'KiB' | 'MiB' | 'GiB')? '/' ('s' | 'm' | 'h') ;
SIZE        : DIGITS ('B' | 'KB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB') ;
DURATION    : DIGITS ('ms' | 's' | 'm' | 'h' | 'd' | 'w') ;
INT         : DIGITS ;
CONTROL_ID  : [A-Za-z] [A-Za-z0-9_]* ('-' [A-Za-z0-9_]+)+ ;
IDENT       : [A-Za-z_] [A-Za-z0-9_]* ;
TSTRING     : '"""' .*? '"""' ;
STRING      : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
LINE_COMMENT: ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;
WS          : [ \t\r\n\f]+ -> channel(HIDDEN) ;
UNTERMINATED_BLOCK: '"""' ( ~'"' | '"' ~'"' | '""' ~'"' )* ('"' | '""')? EOF ;
UNTERMINATED: '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* ;
ERRCHAR     : . ;

fragment DIGITS : [0-9]+ ;
