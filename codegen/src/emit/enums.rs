//! The error-code table and the open enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust::{doc, ident};
use crate::ir::{EnumIr, ErrorIr};

/// `ErrorCode`: every code of the table plus `Unknown(i64)`.
pub fn error_code(errors: &[ErrorIr]) -> TokenStream {
    let variants = errors.iter().map(|e| {
        let d = doc(&e.doc);
        let v = ident(&e.variant);
        quote! { #d #v, }
    });
    let from = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let c = Literal::i64_unsuffixed(e.code);
        quote! { #c => Self::#v, }
    });
    let to = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let c = Literal::i64_unsuffixed(e.code);
        quote! { Self::#v => #c, }
    });
    let msg = errors.iter().map(|e| {
        let v = ident(&e.variant);
        let m = &e.message;
        quote! { Self::#v => #m, }
    });
    quote! {
        /// An error code of the API: `result.code` of an `ERROR` answer.
        ///
        /// Tolerant of codes it does not know: they become [`ErrorCode::Unknown`] with the code kept.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code that is not in the spec's table, kept as sent.
            Unknown(i64),
        }
        impl ErrorCode {
            /// The variant of `code`; codes not in the table give [`ErrorCode::Unknown`].
            pub const fn from_code(code: i64) -> Self {
                match code {
                    #(#from)*
                    other => Self::Unknown(other),
                }
            }
            /// The numeric code.
            pub const fn code(&self) -> i64 {
                match self {
                    #(#to)*
                    Self::Unknown(code) => *code,
                }
            }
            /// The message the vendor's table gives for the code.
            pub const fn message(&self) -> &'static str {
                match self {
                    #(#msg)*
                    Self::Unknown(_) => "error code not in the table",
                }
            }
        }
        impl From<i64> for ErrorCode {
            fn from(code: i64) -> Self {
                Self::from_code(code)
            }
        }
        impl ottpay_runtime::ApiCode for ErrorCode {
            fn from_code(code: i64) -> Self {
                Self::from_code(code)
            }
            fn code(&self) -> i64 {
                ErrorCode::code(self)
            }
            fn message(&self) -> &'static str {
                ErrorCode::message(self)
            }
        }
        impl fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.code(), self.message())
            }
        }
    }
}

/// An open enum: known values as variants, anything else kept in `Unknown(String)`.
pub fn open_enum(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let d = doc(&e.doc);
    let variants = e.values.iter().map(|(_, v, vd)| {
        let v = ident(v);
        let vd = doc(vd);
        quote! { #vd #v, }
    });
    let as_str = e.values.iter().map(|(w, v, _)| {
        let v = ident(v);
        quote! { Self::#v => #w, }
    });
    let from = e.values.iter().map(|(w, v, _)| {
        let v = ident(v);
        quote! { #w => Self::#v, }
    });
    quote! {
        #d
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
        #[serde(from = "String")]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as sent.
            Unknown(String),
        }
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
