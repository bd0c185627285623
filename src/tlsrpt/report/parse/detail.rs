//! Reading counts and failure details (SEMANTICS G2, G11, G12, G14, G16).

use super::super::json::{Json, Path};
use super::super::members;
use super::super::{FailureDetail, FailureType, MAX_COUNT, Problem, ReportError, quote};
use super::{Object, Reader, as_object, as_string, error, missing, wrong_type};
use crate::tlsrpt::DeviationKind;

impl Reader {
    /// A count: a JSON integer from 0 to 2^53; leniently also a string of
    /// digits (SEMANTICS G12).
    pub(super) fn count(&mut self, value: &Json, path: &Path<'_>) -> Result<u64, ReportError> {
        let invalid = |problem: Problem| error(path, problem);
        let too_large = |count: String| invalid(Problem::CountTooLarge { count });
        match value {
            Json::Unsigned(n) if *n <= MAX_COUNT => Ok(*n),
            Json::Unsigned(n) => Err(too_large(n.to_string())),
            Json::Negative(n) => Err(invalid(Problem::CountNegative(*n))),
            Json::Float(x) => Err(invalid(Problem::CountFraction(format!("{x:?}")))),
            Json::String(text) => {
                // Strict reading stops here; lenient reading goes on to the
                // digits (a failed read drops its deviations).
                self.tolerate(DeviationKind::CountString, path, || {
                    invalid(Problem::CountString(text.clone()))
                })?;
                let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
                let n = digits.then(|| text.parse::<u64>().ok()).flatten();
                match n {
                    Some(n) if n <= MAX_COUNT => Ok(n),
                    Some(_) | None if digits => Err(too_large(quote(text).to_string())),
                    _ => Err(invalid(Problem::CountNotDigits(text.clone()))),
                }
            }
            other => Err(wrong_type(path, other, "a count (a JSON number)")),
        }
    }

    pub(super) fn failure_detail(
        &mut self,
        value: &Json,
        path: &Path<'_>,
    ) -> Result<FailureDetail, ReportError> {
        let detail = as_object(value, path)?;
        let name = members::failure::RESULT_TYPE;
        let result_type = as_string(
            Self::required(&detail, name, "an RFC 8460 §4.3 result type")?,
            &path.key(name),
        )?;
        let sending_mta_ip = self.failure_field(&detail, members::failure::SENDING_MTA_IP)?;
        let receiving_mx_hostname =
            self.failure_field(&detail, members::failure::RECEIVING_MX_HOSTNAME)?;
        let receiving_mx_helo = optional_string(&detail, members::failure::RECEIVING_MX_HELO)?;
        let receiving_ip = self.failure_field(&detail, members::failure::RECEIVING_IP)?;
        let name = members::failure::FAILED_SESSION_COUNT;
        let failed_session_count = self.count(
            Self::required(&detail, name, "the number of sessions")?,
            &path.key(name),
        )?;
        let mut known = members::failure::ALL.to_vec();
        // SEMANTICS G16: the schema's name, else the prose's; with both,
        // the prose's is reported as unknown and ignored.
        let mut additional_information =
            optional_string(&detail, members::failure::ADDITIONAL_INFORMATION)?;
        if additional_information.is_none() {
            additional_information = optional_string(&detail, members::ADDITIONAL_INFO_URI)?;
            known.push(members::ADDITIONAL_INFO_URI);
        }
        let failure_reason_code = optional_string(&detail, members::failure::FAILURE_REASON_CODE)?;
        self.unknown_members(&detail, &known);
        Ok(FailureDetail {
            result_type: FailureType::from_name(result_type),
            sending_mta_ip,
            receiving_mx_hostname,
            receiving_mx_helo,
            receiving_ip,
            failed_session_count,
            additional_information,
            failure_reason_code,
        })
    }

    /// `sending-mta-ip`, `receiving-mx-hostname`, `receiving-ip`: required
    /// and not empty; leniently absent (SEMANTICS G14).
    fn failure_field(
        &mut self,
        detail: &Object<'_, '_>,
        name: &str,
    ) -> Result<Option<String>, ReportError> {
        let path = detail.path.key(name);
        match detail.get(name) {
            Some(Json::String(text)) if !text.is_empty() => Ok(Some(text.clone())),
            value @ (Some(Json::String(_)) | None) => {
                self.tolerate(DeviationKind::FailureFieldMissing, &path, || match value {
                    Some(_) => error(&path, Problem::EmptyFailureField),
                    None => missing(detail.path, name, "required in a failure detail"),
                })?;
                Ok(None)
            }
            Some(other) => Err(wrong_type(&path, other, "a string")),
        }
    }
}

/// An optional string member (`null` is a wrong type, not absence).
fn optional_string(object: &Object<'_, '_>, name: &str) -> Result<Option<String>, ReportError> {
    object
        .get(name)
        .map(|value| as_string(value, &object.path.key(name)).map(str::to_owned))
        .transpose()
}
