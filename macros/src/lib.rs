//! `#[ffi_fn]`: the one way kafkars defines a function C can call.
//!
//! ```text
//! /// Doc comment (cbindgen copies it into the header).
//! #[ffi_fn(default = RD_KAFKA_RESP_ERR__INVALID_ARG)]
//! pub unsafe extern "C" fn rd_kafka_x(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t { body }
//! ```
//!
//! The attribute exports the function under its own name and runs the body inside
//! `catch_unwind`: a panic is reported on stderr (by `crate::capi::boundary::report_panic`)
//! and the function returns its default instead of unwinding into C, which would be
//! undefined behaviour. Functions returning `()` need no default, raw pointers default
//! to NULL; every other return type must say what C gets (`default = <expr>`), since
//! only the author knows which value reads as a failure of that call.
//!
//! An attribute rather than a `macro_rules!` wrapper, so that rustfmt formats the bodies
//! and build.rs can hand cbindgen a copy of the sources in which the attribute is
//! replaced by the plain export attribute.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Error, Expr, ItemFn, MetaNameValue, ReturnType, Token, Type, Visibility};

#[proc_macro_attribute]
pub fn ffi_fn(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(attr.into(), item.into()).unwrap_or_else(Error::into_compile_error).into()
}

/// What C gets when the body panics.
enum OnPanic {
    /// `()`: nothing to return.
    Unit,
    Value(TokenStream2),
}

fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let given = parse_args(attr)?;
    let f: ItemFn = syn::parse2(item)?;
    check_item(&f)?;
    let default = default_for(&f, given)?;

    let ItemFn { attrs, vis, sig, block } = f;
    let name = sig.ident.to_string();
    let closure_ret = match &sig.output {
        ReturnType::Default => quote!(),
        ReturnType::Type(arrow, ty) => quote!(#arrow #ty),
    };
    // `()` needs no value: the block ends with the report's `;`.
    let on_panic = match default {
        OnPanic::Unit => quote!(),
        OnPanic::Value(v) => v,
    };
    Ok(quote! {
        #(#attrs)*
        #[no_mangle]
        #vis #sig {
            match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(move || #closure_ret #block)) {
                ::std::result::Result::Ok(v) => v,
                ::std::result::Result::Err(payload) => {
                    crate::capi::boundary::report_panic(#name, payload);
                    #on_panic
                }
            }
        }
    })
}

/// `default = <expr>`, the only argument.
fn parse_args(attr: TokenStream2) -> syn::Result<Option<Expr>> {
    if attr.is_empty() {
        return Ok(None);
    }
    let args = syn::parse::Parser::parse2(Punctuated::<MetaNameValue, Token![,]>::parse_terminated, attr)?;
    let mut default = None;
    for arg in args {
        if !arg.path.is_ident("default") {
            return Err(Error::new(arg.path.span(), "#[ffi_fn] takes one argument: `default = <value>`"));
        }
        if default.is_some() {
            return Err(Error::new(arg.span(), "`default` given twice"));
        }
        default = Some(arg.value);
    }
    Ok(default)
}

fn check_item(f: &ItemFn) -> syn::Result<()> {
    let sig = &f.sig;
    let want = "#[ffi_fn] defines `pub unsafe extern \"C\" fn`s only";
    if !matches!(f.vis, Visibility::Public(_)) {
        return Err(Error::new(sig.fn_token.span(), format!("{want}: make it `pub`")));
    }
    if sig.unsafety.is_none() {
        return Err(Error::new(
            sig.fn_token.span(),
            format!("{want}: make it `unsafe` (C passes pointers nothing checks)"),
        ));
    }
    match &sig.abi {
        Some(abi) if abi.name.as_ref().is_some_and(|n| n.value() == "C") => {}
        Some(abi) => return Err(Error::new(abi.span(), format!("{want}: the ABI must be \"C\""))),
        None => return Err(Error::new(sig.fn_token.span(), format!("{want}: add `extern \"C\"`"))),
    }
    if let Some(c) = &sig.constness {
        return Err(Error::new(c.span(), format!("{want}: not `const`")));
    }
    if let Some(a) = &sig.asyncness {
        return Err(Error::new(a.span(), format!("{want}: not `async`")));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new(sig.generics.span(), format!("{want}: no generics")));
    }
    if let Some(v) = &sig.variadic {
        return Err(Error::new(v.span(), "variadic functions live in src/shim.c"));
    }
    for a in &f.attrs {
        // Also catches `#[unsafe(no_mangle)]` and `#[unsafe(export_name = "...")]`.
        let text = a.meta.to_token_stream().to_string();
        if ["no_mangle", "export_name"].iter().any(|n| text.contains(n)) {
            return Err(Error::new(
                a.span(),
                "#[ffi_fn] exports the function under its own name: remove this attribute",
            ));
        }
    }
    Ok(())
}

fn default_for(f: &ItemFn, given: Option<Expr>) -> syn::Result<OnPanic> {
    let ty = match &f.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(strip_parens(ty)),
    };
    match ty {
        None => unit(given),
        Some(Type::Tuple(t)) if t.elems.is_empty() => unit(given),
        Some(Type::Ptr(p)) => Ok(OnPanic::Value(match given {
            Some(e) => quote!(#e),
            None if p.mutability.is_some() => quote!(::core::ptr::null_mut()),
            None => quote!(::core::ptr::null()),
        })),
        Some(ty) => match given {
            Some(e) => Ok(OnPanic::Value(quote!(#e))),
            None => Err(Error::new(
                ty.span(),
                format!(
                    "#[ffi_fn] needs `default = <value>` for a function returning `{}`: \
                     what C gets if the body panics (the value that reads as this call failing)",
                    ty.to_token_stream()
                ),
            )),
        },
    }
}

fn unit(given: Option<Expr>) -> syn::Result<OnPanic> {
    match given {
        None => Ok(OnPanic::Unit),
        Some(e) => Err(Error::new(e.span(), "a function returning nothing takes no `default`")),
    }
}

fn strip_parens(ty: &Type) -> &Type {
    match ty {
        Type::Paren(p) => strip_parens(&p.elem),
        Type::Group(g) => strip_parens(&g.elem),
        t => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(attr: TokenStream2, item: TokenStream2) -> String {
        match expand(attr, item) {
            Ok(t) => panic!("expected an error, got {t}"),
            Err(e) => e.to_string(),
        }
    }

    fn ok(attr: TokenStream2, item: TokenStream2) -> String {
        expand(attr, item).map(|t| t.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn exports_and_catches() {
        let out = ok(
            quote!(default = -1),
            quote! {
                /// Doc.
                pub unsafe extern "C" fn rd_kafka_x(a: *mut T) -> c_int { 5 }
            },
        );
        assert!(out.contains("# [no_mangle]"), "{out}");
        assert!(out.contains("catch_unwind"), "{out}");
        assert!(out.contains("report_panic (\"rd_kafka_x\" , payload) ; - 1"), "{out}");
        assert!(out.starts_with("# [doc = r\" Doc.\"]"), "{out}");
    }

    #[test]
    fn pointers_default_to_null_and_unit_to_nothing() {
        let out = ok(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f() -> *mut T {
                    p
                }
            ),
        );
        assert!(out.contains(":: core :: ptr :: null_mut ()"), "{out}");
        let out = ok(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f() -> *const T {
                    p
                }
            ),
        );
        assert!(out.contains(":: core :: ptr :: null ()"), "{out}");
        let out = ok(
            quote!(default = c"".as_ptr()),
            quote!(
                pub unsafe extern "C" fn f() -> *const c_char {
                    p
                }
            ),
        );
        assert!(out.contains("c\"\" . as_ptr ()"), "{out}");
        ok(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f() {}
            ),
        );
        ok(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f() -> () {}
            ),
        );
    }

    #[test]
    fn refuses_what_is_not_a_c_entry_point() {
        assert!(err(
            quote!(),
            quote!(
                unsafe extern "C" fn f() {}
            )
        )
        .contains("`pub`"));
        assert!(err(
            quote!(),
            quote!(
                pub(crate) unsafe extern "C" fn f() {}
            )
        )
        .contains("`pub`"));
        assert!(err(
            quote!(),
            quote!(
                pub extern "C" fn f() {}
            )
        )
        .contains("`unsafe`"));
        assert!(err(
            quote!(),
            quote!(
                pub unsafe fn f() {}
            )
        )
        .contains("extern"));
        assert!(err(
            quote!(),
            quote!(
                pub unsafe extern "system" fn f() {}
            )
        )
        .contains("\"C\""));
        assert!(err(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f<T>() {}
            )
        )
        .contains("generics"));
        assert!(err(
            quote!(),
            quote!(
                #[no_mangle]
                pub unsafe extern "C" fn f() {}
            )
        )
        .contains("remove"));
        assert!(err(
            quote!(),
            quote!(
                #[unsafe(no_mangle)]
                pub unsafe extern "C" fn f() {}
            )
        )
        .contains("remove"));
        assert!(err(
            quote!(),
            quote!(
                #[export_name = "g"]
                pub unsafe extern "C" fn f() {}
            )
        )
        .contains("remove"));
    }

    #[test]
    fn defaults_are_explicit() {
        assert!(err(
            quote!(),
            quote!(
                pub unsafe extern "C" fn f() -> c_int {
                    0
                }
            )
        )
        .contains("default ="));
        assert!(err(
            quote!(default = 1),
            quote!(
                pub unsafe extern "C" fn f() {}
            )
        )
        .contains("no `default`"));
        assert!(err(
            quote!(dflt = 1),
            quote!(
                pub unsafe extern "C" fn f() -> c_int {
                    0
                }
            )
        )
        .contains("one argument"));
        assert!(err(
            quote!(default = 1, default = 2),
            quote!(
                pub unsafe extern "C" fn f() -> c_int {
                    0
                }
            )
        )
        .contains("twice"));
    }
}
